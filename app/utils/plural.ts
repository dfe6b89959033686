// Swedish count phrases: "1 inbjudan", "2 inbjudningar". Swedish has one singular and one plural form,
// so a pair of words is enough; the caller gives both because they are irregular (inbjudan/inbjudningar).
export function countText(n: number, singular: string, plural: string): string {
  return `${n.toLocaleString('sv-SE')} ${n === 1 ? singular : plural}`;
}
