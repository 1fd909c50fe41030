/**
 * The text a retweet or quote repeats: "RT @user: text" → "text" (also "RT @a: RT @b: text").
 * Distinct texts are counted on this, so a retweet is the same text as its original: many
 * accounts repeating it is amplification (see `coordinationOf`), not many new voices.
 */
export function repeatedText(text: string): string {
  // Most texts are no retweet: one look at the first character spares them the regular expression.
  const first = text.trimStart().charCodeAt(0);
  if (first !== 0x52 && first !== 0x72) return text;
  let i = 0;
  for (;;) {
    const m = /^\s*RT\s+@[\w.]+:?\s*/i.exec(i === 0 ? text : text.slice(i));
    if (m === null) return i === 0 ? text : text.slice(i);
    i += m[0].length;
  }
}
