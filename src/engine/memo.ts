/**
 * A bounded memo of a pure function of a string: for hashes of the query texts and variable sets a server sees again
 * and again, where a map lookup is several times cheaper than the hash. Two generations of at most `limit` inputs
 * each: when the current one fills, it becomes the previous one and the oldest is dropped, and an input found in the
 * previous generation moves back to the current one. So the inputs asked for while a generation fills survive a long
 * tail of one-off inputs (emptying the memo when full made a working set just above `limit` recompute everything), and
 * the memo holds at most `2 × limit × maxChars` characters of input. Inputs longer than `maxChars` are computed every
 * time.
 */
export function memoizeString(compute: (input: string) => string, limit: number, maxChars: number): (input: string) => string {
  let current = new Map<string, string>();
  let previous = new Map<string, string>();
  const remember = (input: string, output: string): void => {
    if (current.size >= limit) {
      previous = current;
      current = new Map();
    }
    current.set(input, output);
  };
  return (input) => {
    if (input.length > maxChars) return compute(input);
    let output = current.get(input);
    if (output !== undefined) return output;
    output = previous.get(input);
    if (output !== undefined) {
      previous.delete(input);
    } else {
      output = compute(input);
    }
    remember(input, output);
    return output;
  };
}
