// `--filter label=…` as Podman matches it (containers/common pkg/filters
// MatchLabelFilters): `key` matches any value, `key=value` that value, and
// `key=` (empty value) any value too. `label!=` is the caller's negation.

/** One `label=` filter value against an object's labels. */
export function labelMatches(labels: Readonly<Record<string, string>> | undefined, want: string): boolean {
  const eq = want.indexOf('=')
  const key = eq === -1 ? want : want.slice(0, eq)
  const value = eq === -1 ? '' : want.slice(eq + 1)
  if (!labels || !Object.hasOwn(labels, key)) return false
  return value === '' || labels[key] === value
}

/** All of the `label=` values match (Podman ANDs label filters). */
export function matchLabelFilters(labels: Readonly<Record<string, string>> | undefined, wants: readonly string[]): boolean {
  return wants.every(w => labelMatches(labels, w))
}
