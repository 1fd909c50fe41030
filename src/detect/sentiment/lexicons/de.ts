import type { LanguageSource } from '../language-pack.js';

/**
 * German lexicon, hand-made for stormwatch (MIT): base forms on the AFINN scale; inflected forms
 * are reached by {@link deStems}. Everyday evaluative words, swearing, social-media slang and the
 * service-failure vocabulary of brand crises (Ausfall, Verspätung, Erstattung, Datenleck ...).
 */
const words: Record<string, number> = {
  // positive
  gut: 2, besser: 2, beste: 3, best: 3, bestens: 3, super: 3, toll: 3, prima: 3, klasse: 3, spitze: 3, top: 2,
  genial: 3, geil: 3, cool: 2, schön: 3, schoen: 3, wunderschön: 4, wunderbar: 4, wundervoll: 4, herrlich: 3,
  großartig: 4, grossartig: 4, hervorragend: 4, ausgezeichnet: 4, fantastisch: 4, phantastisch: 4, perfekt: 3,
  exzellent: 4, brillant: 4, traumhaft: 4, fabelhaft: 3, grandios: 4, sensationell: 4, mega: 2, hammer: 2,
  lieb: 2, liebe: 3, lieben: 3, liebt: 3, liebling: 3, lieblings: 2, mögen: 2, mag: 2, gefällt: 2, gefallen: 1,
  freude: 3, freuen: 3, freue: 3, freut: 3, froh: 3, fröhlich: 3, glücklich: 3, glück: 3, gluecklich: 3,
  spaß: 2, spass: 2, lustig: 2, witzig: 2, lachen: 2, danke: 2, dankeschön: 3, dankbar: 3, vielen: 0, dank: 2,
  bravo: 3, gratulation: 3, glückwunsch: 3, glueckwunsch: 3, gratuliere: 3, hurra: 3, juhu: 3, yay: 3,
  empfehlen: 2, empfehlenswert: 3, empfehlung: 2, zufrieden: 2, freundlich: 2, hilfsbereit: 2, hilfreich: 2,
  nett: 2, angenehm: 2, bequem: 2, pünktlich: 2, puenktlich: 2, schnell: 1, zuverlässig: 2, lecker: 3,
  hübsch: 2, süß: 2, suess: 2, niedlich: 2, fein: 2, erfolg: 2, erfolgreich: 2, gewonnen: 2, gewinnen: 2, sieg: 2,
  stolz: 2, hoffnung: 2, hoffe: 1, hoffentlich: 1, begeistert: 3, begeisterung: 3, spannend: 2, interessant: 1,
  endlich: 1, yeah: 2, wow: 2, haha: 2, hahaha: 2, hehe: 2, lol: 1, ok: 1, okay: 1, richtig: 1, genau: 1,
  gerne: 2, gern: 2, willkommen: 2, entspannt: 2, ruhig: 1, sicher: 1, gesund: 2, positiv: 2, gelungen: 3,
  lob: 2, loben: 2, respekt: 2, beeindruckend: 3, unglaublich: 2, wahnsinn: 1, traum: 2, vermissen: -1,
  schätzen: 2, geniessen: 2, genießen: 2, feiern: 2, party: 1, sonnig: 1, kostenlos: 1, gratis: 1,
  // negative
  schlecht: -3, schlechter: -3, schlechteste: -4, schlimm: -3, schlimmer: -3, schlimmste: -4, mies: -3,
  miserabel: -4, furchtbar: -3, fürchterlich: -3, schrecklich: -3, grauenhaft: -4, grauenvoll: -4, übel: -3,
  katastrophe: -4, katastrophal: -4, desaster: -4, debakel: -4, blamage: -3, peinlich: -3, lächerlich: -3,
  laecherlich: -3, absurd: -2, traurig: -2, trauer: -2, leider: -1, schade: -2, enttäuscht: -3, enttaeuscht: -3,
  enttäuschend: -3, enttäuschung: -3, ärger: -3, aerger: -3, ärgerlich: -3, ärgern: -3, ärgert: -3,
  sauer: -2, stocksauer: -4, wütend: -3, wuetend: -3, wut: -3, zorn: -3, genervt: -3, nervig: -3, nervt: -3, nerven: -2,
  hass: -4, hasse: -4, hassen: -4, hasst: -4, doof: -2, blöd: -3, bloed: -3, dumm: -3, dämlich: -3, idiot: -3,
  idioten: -3, arsch: -4, arschloch: -5, arschlöcher: -5, scheiße: -4, scheisse: -4, scheiß: -3, scheiss: -3,
  kacke: -3, mist: -3, verdammt: -3, fuck: -4, kotzen: -3, ekelhaft: -4, eklig: -3, widerlich: -4, krank: -2,
  langweilig: -2, langeweile: -2, müde: -1, muede: -1, angst: -2, sorge: -2, sorgen: -2, gefahr: -2, gefährlich: -2,
  problem: -2, probleme: -2, fehler: -2, falsch: -2, schwach: -2, schwer: -1, hart: -1, teuer: -2, 'zu teuer': -2,
  frech: -2, unverschämt: -4, unverschaemt: -4, frechheit: -4, zumutung: -4, skandal: -4, skandalös: -4,
  sauerei: -4, unmöglich: -3, unmoeglich: -3, inakzeptabel: -4, unfreundlich: -3, inkompetent: -4,
  unfähig: -4, unfaehig: -4, nutzlos: -3, sinnlos: -2, unnötig: -2, unnoetig: -2, schrott: -4, müll: -3, muell: -3,
  dreck: -3, kaputt: -3, defekt: -3, gestört: -2, tot: -2, tod: -2, sterben: -3, gestorben: -3, tote: -3,
  opfer: -2, gewalt: -3, krieg: -3, terror: -4, mord: -4, verbrechen: -3, kriminell: -3, lüge: -3, luege: -3,
  lügen: -3, lügner: -3, gelogen: -3, betrug: -4, betrüger: -4, betrueger: -4, abzocke: -4, abzocker: -4,
  verarscht: -4, verarsche: -4, boykott: -3, boykottieren: -3, klage: -2, verklagen: -2, anzeige: -2,
  schämen: -3, schaemen: -3, schande: -4, pech: -2, verloren: -2, verlieren: -2, verlust: -2, pleite: -3,
  insolvent: -3, insolvenz: -3, kündigen: -2, gekündigt: -2, kündigung: -2, entlassen: -2, streik: -2,
  stress: -2, stressig: -2, chaos: -3, krise: -3, panne: -3, störung: -3, stoerung: -3, ausfall: -3, ausgefallen: -3,
  verspätung: -2, verspaetung: -2, verspätet: -2, verspaetet: -2, 'zu spät': -2, verpasst: -2, gestrichen: -2,
  storniert: -2, annulliert: -2, erstattung: -1, rückerstattung: -1, reklamation: -2, beschwerde: -2,
  beschweren: -2, warteschleife: -2, warten: -1, wartezeit: -2, datenleck: -4, datenpanne: -4, gehackt: -3,
  hacker: -2, rückruf: -2, rueckruf: -2, abgestürzt: -2, absturz: -2, hängt: -1, 'funktioniert nicht': -3, 'geht nicht': -2, 'nie wieder': -4,
  unerträglich: -4, nervtötend: -3, fies: -2, gemein: -3, böse: -2, boese: -2, schlimmes: -3, hässlich: -3,
  haesslich: -3, einsam: -2, einsamkeit: -2, leer: -1, leere: -1, zweifel: -1, zweifeln: -1, befürchte: -2,
  befürchten: -2, fürchten: -2, schmerz: -2, schmerzen: -2, weh: -2, leid: -2, leiden: -2, verletzt: -2,
  heulen: -2, weinen: -2, wein: 0, mobben: -3, mobbing: -3, rassist: -4, rassistisch: -4, nazi: -4, nazis: -4,
  gescheitert: -3, scheitern: -3, versagt: -3, versagen: -3, versager: -3, fail: -2, epic: 0, lahm: -2,
  naja: -1, 'na ja': -1, meh: -1, ugh: -2, omg: 0, wtf: -3, boah: -1, mimimi: -2, jammern: -2, shitstorm: -4,
  regt: -2, aufregen: -3, aufgeregt: -1, unverhofft: -1, vermisst: -1, verwirrt: -1, verwirrend: -2,
  ungerecht: -3, unfair: -3, korrupt: -4, lahmarsch: -3, hölle: -3, hoelle: -3,
};

export const deStems = (w: string): readonly string[] => {
  const out: string[] = [];
  const n = w.length;
  for (const suffix of ['sten', 'ste', 'ster', 'stes', 'en', 'em', 'er', 'es', 'e', 'n', 's', 't', 'st', 'et']) {
    if (n - suffix.length >= 3 && w.endsWith(suffix)) out.push(w.slice(0, n - suffix.length));
  }
  // Participles: ge...t / ge...en ("genervt", "gehasst")
  if (n > 6 && w.startsWith('ge')) out.push(w.slice(2, w.endsWith('t') ? n - 1 : n));
  return out;
};

export const de: LanguageSource = {
  code: 'de',
  words,
  negators: [
    'nicht', 'nich', 'net', 'ned', 'nie', 'niemals', 'kein', 'keine', 'keinen', 'keinem', 'keiner', 'keines',
    'nichts', 'niemand', 'ohne', 'weder', 'garnicht', 'keinesfalls', 'keineswegs', 'kaum',
  ],
  negationBreakers: ['nur', 'mal'],
  irrealis: ['würde', 'wuerde', 'würden', 'wäre', 'waere', 'hätte', 'haette', 'sollte', 'könnte', 'koennte', 'wenn', 'falls'],
  boosters: {
    sehr: 0.3, so: 0.2, total: 0.3, voll: 0.3, echt: 0.3, wirklich: 0.3, extrem: 0.5, absolut: 0.4, mega: 0.4,
    super: 0.3, äußerst: 0.5, aeusserst: 0.5, besonders: 0.3, richtig: 0.3, ziemlich: 0.1, zu: 0.2, unglaublich: 0.4,
    maßlos: 0.5, massiv: 0.4, völlig: 0.4, voellig: 0.4, komplett: 0.4, verdammt: 0.4, tierisch: 0.4, höchst: 0.4,
    etwas: -0.3, bisschen: -0.4, bissl: -0.4, wenig: -0.3, leicht: -0.3, kaum: -0.5, eher: -0.2, fast: -0.3,
  },
  contrasts: ['aber', 'jedoch', 'sondern', 'trotzdem', 'dennoch', 'allerdings'],
  concessives: ['obwohl', 'obgleich', 'wenngleich', 'trotz'],
  stems: deStems,
  fallbackStop: [
    'die', 'war', 'kinder', 'kind', 'fallen', 'gift', 'hell', 'bad', 'also', 'will', 'fast', 'rat', 'mist', 'slip',
    'hat', 'arm', 'rot', 'tot', 'an', 'so', 'man', 'bald', 'handy', 'chef', 'fee', 'rock', 'see', 'wider', 'alter',
    'dumb', 'fatal', 'pure', 'top', 'ban', 'lust', 'muster', 'irre', 'fit', 'hut', 'plump',
  ],
};
