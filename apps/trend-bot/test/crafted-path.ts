/**
 * One close per one-minute bar: flat, a dip (down-cross at bar 5), a rally (up-cross at bar 9), a
 * top and a drop (down-cross at bar 14). The rule's unit test and the bot's test on the simulator
 * both trade it, so their signals can be compared bar for bar.
 */
export const CRAFTED_CLOSES: readonly string[] = [
  '100',
  '100',
  '100',
  '100',
  '100',
  '99',
  '98',
  '97',
  '99',
  '102',
  '105',
  '108',
  '110',
  '104',
  '98',
];
