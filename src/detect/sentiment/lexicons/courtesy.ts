/**
 * Courtesy words, per language code: thanks that close a request or a complaint as often as they
 * praise ("still no refund, thanks"). The scorer counts their positive valence in full when the
 * rest of the text is not negative, and only in part when it is (see COURTESY_IN_COMPLAINT in
 * scorer.ts). Words and the first word of phrases ("thank you") both count.
 */
export const courtesyWords: Readonly<Record<string, readonly string[]>> = {
  en: ['thanks', 'thank', 'thx', 'ty', 'thnx', 'thanx', 'thankyou', 'tnx', 'appreciate', 'appreciated'],
  nl: ['bedankt', 'dank', 'dankjewel', 'dankuwel', 'thanks', 'alvast'],
  de: ['danke', 'dank', 'dankeschön', 'vielen'],
};
