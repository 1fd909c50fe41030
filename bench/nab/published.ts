/** Published NAB realTweets scores (standard / low FP / low FN, thresholds optimised on realTweets). */
export const PUBLISHED_REALTWEETS: readonly { readonly detector: string; readonly scores: readonly [number, number, number] }[] = [
  { detector: 'ARTime', scores: [83.2, 74.6, 88.8] },
  { detector: 'contextOSE', scores: [74.5, 73.1, 76.9] },
  { detector: 'Numenta HTM', scores: [69.4, 63.6, 73.5] },
  { detector: 'earthgecko Skyline', scores: [68.9, 45.3, 78.3] },
  { detector: 'Random Cut Forest', scores: [62.9, 50.2, 70.0] },
  { detector: 'Twitter ADVec', scores: [59.6, 35.8, 69.0] },
  { detector: 'windowed Gaussian', scores: [51.4, 16.3, 64.6] },
];
