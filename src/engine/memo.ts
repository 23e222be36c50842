/**
 * A bounded memo of a pure function of a string: for hashes of the few query texts and variable sets a server sees
 * again and again, where a map lookup is several times cheaper than the hash. Inputs longer than `maxChars` are
 * computed every time, and the memo is emptied when it holds `limit` inputs, so it holds at most
 * `limit × maxChars` characters of input.
 */
export function memoizeString(compute: (input: string) => string, limit: number, maxChars: number): (input: string) => string {
  const memo = new Map<string, string>();
  return (input) => {
    if (input.length > maxChars) return compute(input);
    let output = memo.get(input);
    if (output === undefined) {
      if (memo.size >= limit) memo.clear();
      output = compute(input);
      memo.set(input, output);
    }
    return output;
  };
}
