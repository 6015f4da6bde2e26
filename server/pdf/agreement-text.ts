// Wording the agreement PDF prints and the drafting rules check: kept apart from the renderer so
// that the request path reads it without loading the PDF libraries (they load in the PDF workers).

/** Printed under 各方责任 when the agreement assigns responsibility to no one. */
export const NO_RESPONSIBILITY = '经各方当事人协商一致，本纠纷不划分责任，各方均不承担责任。';

/** 2026-11-23 -> 2026年11月23日 */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
