/** " Did you mean "x"?" for the nearest candidates, or "" when none is near. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const threshold = Math.max(1, Math.floor(input.length * 0.4));
  const scored = candidates
    .map((candidate) => ({ candidate, distance: lexicalDistance(input.toLowerCase(), candidate.toLowerCase()) }))
    .filter((s) => s.distance <= threshold || (input.length >= 3 && s.candidate.toLowerCase().startsWith(input.toLowerCase())))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((s) => `"${s.candidate}"`);
  if (scored.length === 0) return '';
  if (scored.length === 1) return ` Did you mean ${scored[0]}?`;
  return ` Did you mean ${scored.slice(0, -1).join(', ')} or ${scored[scored.length - 1]}?`;
}

/** Quoted, comma-separated list: "a", "b", "c" (or "(none)"). */
export function quotedList(items: readonly string[]): string {
  return items.length === 0 ? '(none)' : items.map((i) => `"${i}"`).join(', ');
}

function lexicalDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
