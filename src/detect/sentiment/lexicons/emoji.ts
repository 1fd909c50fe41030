/**
 * Emoji and emoticon valences on the AFINN scale (-5 .. 5). Hand-made for stormwatch (MIT):
 * the common faces, hearts, hands and symbols of social-media complaints and praise. Language
 * independent, so every language pack uses them.
 */
const emoji: ReadonlyArray<readonly [number, number]> = [
  // negative faces
  [0x1f621, -4], // 😡 pouting
  [0x1f620, -3], // 😠 angry
  [0x1f92c, -5], // 🤬 symbols on mouth
  [0x1f624, -2], // 😤 steam from nose
  [0x1f62d, -3], // 😭 loudly crying
  [0x1f622, -2], // 😢 crying
  [0x1f625, -2], // 😥 sad but relieved
  [0x1f61e, -2], // 😞 disappointed
  [0x1f61f, -2], // 😟 worried
  [0x1f614, -2], // 😔 pensive
  [0x1f629, -3], // 😩 weary
  [0x1f62b, -3], // 😫 tired
  [0x1f616, -3], // 😖 confounded
  [0x1f623, -2], // 😣 persevering
  [0x1f612, -2], // 😒 unamused
  [0x1f611, -1], // 😑 expressionless
  [0x1f610, -1], // 😐 neutral face (used as mild disapproval)
  [0x1f644, -2], // 🙄 eye roll
  [0x1f615, -1], // 😕 confused
  [0x1f641, -2], // 🙁 slightly frowning
  [0x2639, -2], // ☹ frowning
  [0x1f626, -2], // 😦
  [0x1f627, -2], // 😧
  [0x1f628, -2], // 😨 fearful
  [0x1f630, -2], // 😰
  [0x1f631, -3], // 😱 screaming
  [0x1f633, -1], // 😳 flushed
  [0x1f62a, -1], // 😪 sleepy
  [0x1f62c, -1], // 😬 grimacing
  [0x1f613, -1], // 😓
  [0x1f92e, -3], // 🤮 vomiting
  [0x1f922, -3], // 🤢 nauseated
  [0x1f92f, -2], // 🤯 exploding head
  [0x1f926, -2], // 🤦 facepalm
  [0x1f937, -1], // 🤷 shrug
  [0x1f480, -1], // 💀 skull
  [0x2620, -2], // ☠ skull and crossbones
  [0x1f4a9, -3], // 💩 pile of poo
  [0x1f44e, -3], // 👎 thumbs down
  [0x1f595, -4], // 🖕 middle finger
  [0x1f494, -3], // 💔 broken heart
  [0x1f4a2, -2], // 💢 anger symbol
  [0x1f6ab, -2], // 🚫 prohibited
  [0x274c, -2], // ❌ cross mark
  [0x26d4, -1], // ⛔ no entry
  [0x1f198, -2], // 🆘 SOS
  [0x26a0, -1], // ⚠ warning
  [0x1f525, 0], // 🔥 fire: praise and disaster alike
  [0x1f47f, -3], // 👿 angry devil
  [0x1f608, 0], // 😈
  [0x1f921, -2], // 🤡 clown
  [0x1f40d, -2], // 🐍 snake
  [0x1f4c9, -2], // 📉 chart decreasing
  // positive faces
  [0x1f600, 2], // 😀
  [0x1f603, 2], // 😃
  [0x1f604, 2], // 😄
  [0x1f601, 2], // 😁
  [0x1f606, 2], // 😆
  [0x1f605, 1], // 😅
  [0x1f602, 1], // 😂 tears of joy: laughter, often at someone
  [0x1f923, 1], // 🤣
  [0x1f60a, 3], // 😊
  [0x1f607, 2], // 😇
  [0x1f642, 1], // 🙂
  [0x1f643, 0], // 🙃 upside-down: irony
  [0x1f609, 2], // 😉
  [0x1f60c, 2], // 😌
  [0x1f60d, 4], // 😍
  [0x1f970, 4], // 🥰
  [0x1f618, 3], // 😘
  [0x1f617, 2], // 😗
  [0x1f619, 2], // 😙
  [0x1f61a, 2], // 😚
  [0x1f60b, 2], // 😋
  [0x1f61b, 1], // 😛
  [0x1f61c, 1], // 😜
  [0x1f61d, 1], // 😝
  [0x1f917, 2], // 🤗
  [0x1f929, 4], // 🤩
  [0x1f60e, 2], // 😎
  [0x1f973, 3], // 🥳
  [0x263a, 2], // ☺
  [0x1f63b, 3], // 😻
  [0x1f44d, 2], // 👍
  [0x1f44c, 2], // 👌
  [0x1f44f, 2], // 👏
  [0x1f64c, 2], // 🙌
  [0x1f64f, 1], // 🙏 thanks / please
  [0x1f4aa, 2], // 💪
  [0x270c, 1], // ✌
  [0x1f91d, 1], // 🤝
  [0x2764, 3], // ❤
  [0x2665, 3], // ♥
  [0x1f499, 3], // 💙
  [0x1f49a, 3], // 💚
  [0x1f49b, 3], // 💛
  [0x1f49c, 3], // 💜
  [0x1f5a4, 2], // 🖤
  [0x1f9e1, 3], // 🧡
  [0x1f495, 3], // 💕
  [0x1f496, 3], // 💖
  [0x1f497, 3], // 💗
  [0x1f498, 3], // 💘
  [0x1f49e, 3], // 💞
  [0x1f49d, 3], // 💝
  [0x1f60f, 0], // 😏
  [0x2728, 2], // ✨
  [0x1f31f, 2], // 🌟
  [0x2b50, 2], // ⭐
  [0x1f389, 3], // 🎉
  [0x1f38a, 2], // 🎊
  [0x1f381, 2], // 🎁
  [0x1f3c6, 2], // 🏆
  [0x1f947, 2], // 🥇
  [0x1f4af, 2], // 💯
  [0x2705, 1], // ✅
  [0x2714, 1], // ✔
  [0x1f60b, 2], // 😋
  [0x1f4c8, 1], // 📈
  [0x1f308, 2], // 🌈
  [0x2600, 1], // ☀
  [0x1f31e, 2], // 🌞
];

/** Code point → valence. */
export const emojiValence: ReadonlyMap<number, number> = new Map(emoji);

const emoticons: ReadonlyArray<readonly [string, number]> = [
  ['>:-(', -4],
  ['>:(', -4],
  [":'-(", -3],
  [":'(", -3],
  [':-((', -3],
  [':((', -3],
  [':-(', -2],
  [':(', -2],
  ['=(', -2],
  [':-[', -2],
  [':[', -2],
  [':-/', -1],
  [':/', -1],
  [':-\\', -1],
  [':\\', -1],
  [':-|', -1],
  [':|', -1],
  [':-s', -1],
  [':s', -1],
  [':@', -3],
  ['-.-', -1],
  ['-_-', -1],
  ['</3', -3],
  [':-))', 3],
  [':))', 3],
  [':-)', 2],
  [':)', 2],
  ['=)', 2],
  [':]', 2],
  [':-]', 2],
  [':-D', 3],
  [':D', 3],
  ['=D', 3],
  [';-)', 2],
  [';)', 2],
  [';-D', 2],
  [';D', 2],
  [':-P', 1],
  [':P', 1],
  [':p', 1],
  [':-p', 1],
  [';P', 1],
  [';p', 1],
  [':*', 2],
  [':-*', 2],
  ['<3', 3],
  ['^^', 2],
  ['^_^', 2],
  ['(:', 2],
];

/** First char code → emoticons starting with it, longest first. */
export const emoticonsByFirstChar: ReadonlyMap<number, ReadonlyArray<readonly [string, number]>> = (() => {
  const m = new Map<number, Array<readonly [string, number]>>();
  for (const e of emoticons) {
    const c = e[0].charCodeAt(0);
    let list = m.get(c);
    if (list === undefined) m.set(c, (list = []));
    list.push(e);
  }
  for (const list of m.values()) list.sort((a, b) => b[0].length - a[0].length);
  return m;
})();
