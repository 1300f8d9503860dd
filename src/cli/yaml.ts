// Podman prints some reports (info) as YAML with sorted keys.
export async function toYaml(v: unknown): Promise<string> {
  const {stringify} = await import('yaml')
  return stringify(v, {sortMapEntries: true, lineWidth: 0, indentSeq: false})
}
