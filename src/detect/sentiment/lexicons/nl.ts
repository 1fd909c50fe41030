import type { LanguageSource } from '../language-pack.js';

/**
 * Dutch lexicon, hand-made for stormwatch (MIT): base forms on the AFINN scale; inflected forms
 * are reached by {@link nlStems}. Everyday evaluative words, swearing, social-media slang and the
 * service-failure vocabulary of brand crises (storing, vertraging, geannuleerd, datalek ...).
 */
const words: Record<string, number> = {
  // positive
  goed: 2, beter: 2, best: 2, beste: 3, prima: 2, top: 3, toppie: 3, super: 3, geweldig: 4, fantastisch: 4,
  fantasties: 4, prachtig: 4, mooi: 3, schitterend: 4, fijn: 2, leuk: 2, gaaf: 3, vet: 2, tof: 3, cool: 2,
  heerlijk: 3, lekker: 2, uitstekend: 4, perfect: 3, briljant: 4, fabelachtig: 4, subliem: 4, knap: 2,
  blij: 3, gelukkig: 3, geluk: 3, vrolijk: 3, tevreden: 2, trots: 2, dankbaar: 3, bedankt: 2, dank: 2, dankjewel: 3,
  dankuwel: 3, thanks: 2, bedankje: 2, gefeliciteerd: 3, proficiat: 3, hoera: 3, hoi: 0, yes: 2, jeej: 3, joepie: 3,
  liefde: 3, lief: 2, houden: 0, hou: 0, genieten: 3, genoten: 3, plezier: 3, vriendelijk: 2, behulpzaam: 2,
  aardig: 2, snel: 1, vlot: 2, handig: 2, aanrader: 3, aanbevelen: 2, aangenaam: 2, gezellig: 3, sterk: 2,
  succes: 2, succesvol: 2, gewonnen: 2, winnen: 2, overwinning: 2, hoop: 1, hopelijk: 1, eindelijk: 1,
  slim: 2, grappig: 2, lachen: 2, haha: 2, hahaha: 2, lol: 1, wow: 2, gratis: 1, opgelost: 2, stipt: 2,
  waardering: 2, compliment: 2, complimenten: 3, chapeau: 3, respect: 2, indrukwekkend: 3, ok: 1, oké: 1, oke: 1,
  // negative
  slecht: -3, slechter: -3, slechtste: -4, erg: -2, ergste: -4, vreselijk: -3, verschrikkelijk: -4, afschuwelijk: -4,
  rampzalig: -4, ramp: -4, drama: -3, dramatisch: -3, waardeloos: -4, belabberd: -3, beroerd: -3, rot: -2,
  triest: -2, verdrietig: -2, jammer: -2, helaas: -1, teleurgesteld: -3, teleurstellend: -3, teleurstelling: -3,
  boos: -3, kwaad: -3, woedend: -4, woest: -3, pissig: -3, geïrriteerd: -2, geirriteerd: -2, irritant: -3,
  ergeren: -3, ergernis: -3, balen: -2, baal: -2, klote: -4, kut: -4, shit: -3, kanker: -4, tering: -4, godver: -4,
  verdomme: -3, fuck: -4, haat: -4, haten: -4, hekel: -3, stom: -2, dom: -2, idioot: -3, debiel: -3, belachelijk: -3,
  schandalig: -4, schande: -4, onacceptabel: -4, onaanvaardbaar: -4, onbeschoft: -3, onvriendelijk: -3,
  incompetent: -4, amateuristisch: -3, nutteloos: -3, zinloos: -2, kapot: -3, stuk: -2, defect: -3, probleem: -2,
  problemen: -2, fout: -2, fouten: -2, mislukt: -3, faalt: -3, falen: -3, fail: -2, storing: -3, storingen: -3,
  uitval: -3, uitgevallen: -3, plat: -2, onbereikbaar: -3, vertraging: -2, vertraagd: -2,
  geannuleerd: -2, geschrapt: -2, gemist: -2, kwijt: -2, verloren: -2, zoek: -1, vast: -1, vastgelopen: -3,
  terugbetaling: -1, restitutie: -1, klacht: -2, klachten: -2, klagen: -2, wachten: -1, gewacht: -2, wachttijd: -2,
  datalek: -4, gehackt: -3, hack: -2, lek: -2, terugroepactie: -2, rechtszaak: -3, aanklagen: -3, boycot: -3,
  boycotten: -3, oplichting: -4, oplichter: -4, oplichters: -4, fraude: -4, bedrog: -4, nep: -3, leugen: -3,
  leugens: -3, liegen: -3, gelogen: -3, schaamte: -3, schamen: -3, duur: -2, oplichterij: -4, afzetterij: -4,
  zorgen: -1, bang: -2, angst: -2, eng: -2, gevaarlijk: -2, gevaar: -2, pijn: -2, ziek: -2, moe: -1, saai: -2,
  lelijk: -3, vies: -3, smerig: -3, walgelijk: -4, ranzig: -3, zielig: -2, treurig: -2, eenzaam: -2, huilen: -2,
  pech: -2, crisis: -3, chaos: -3, schade: -2, dood: -3, doden: -3, geweld: -3, oorlog: -3, aanslag: -4,
  ontslagen: -2, ontslag: -2, failliet: -3, faillissement: -3, staking: -2, onzin: -2, bullshit: -4, zucht: -1,
  pff: -1, pfff: -2, bah: -2, jakkes: -3, ugh: -2, wtf: -3, meh: -1, nooit: 0,
};

export const nlStems = (w: string): readonly string[] => {
  const out: string[] = [];
  const n = w.length;
  for (const suffix of ['ste', 'en', 'er', 'e', 's', 't', 'd']) {
    if (n - suffix.length >= 3 && w.endsWith(suffix)) out.push(w.slice(0, n - suffix.length));
  }
  // "slechte" → "slecht", "mooie" → "mooi", "leuke" → "leuk"; doubled vowels: "grote" → "groot"
  if (n >= 5 && w.endsWith('e')) {
    const stem = w.slice(0, n - 1);
    const last = stem.charAt(stem.length - 1);
    const before = stem.charAt(stem.length - 2);
    if ('aeou'.includes(before)) out.push(stem.slice(0, -1) + before + last);
  }
  if (n > 6 && w.startsWith('ge')) out.push(w.slice(2));
  return out;
};

export const nl: LanguageSource = {
  code: 'nl',
  words: {
    ...words,
    'te laat': -2,
    'nooit meer': -4,
    'niet meer': -1,
    'doet het niet': -3,
    'werkt niet': -3,
    'werkt weer niet': -4,
    'in de wacht': -2,
    'geen reactie': -3,
    'geen antwoord': -3,
    'geen probleem': 1,
    'geen zorgen': 2,
    'niet normaal': -2,
    'om te huilen': -3,
    'ligt eruit': -3,
    'ligt plat': -3,
    'ik hou van': 3,
    'hou van': 3,
    'houd van': 3,
  },
  negators: ['niet', 'geen', 'nooit', 'niets', 'niks', 'niemand', 'zonder', 'noch', 'nergens', 'allerminst', 'nee'],
  negationBreakers: ['alleen', 'enkel'],
  irrealis: ['zou', 'zouden', 'zal', 'moest', 'moesten', 'kon', 'konden', 'indien', 'mocht'],
  boosters: {
    heel: 0.3, erg: 0.3, zeer: 0.3, echt: 0.3, zo: 0.2, super: 0.4, hartstikke: 0.4, ontzettend: 0.5,
    enorm: 0.5, extreem: 0.5, vreselijk: 0.4, verschrikkelijk: 0.4, totaal: 0.3, volledig: 0.3, helemaal: 0.3,
    absoluut: 0.4, bijzonder: 0.3, mega: 0.4, keihard: 0.4, te: 0.2, best: 0.1, vrij: 0.1, behoorlijk: 0.2,
    beetje: -0.4, ietwat: -0.3, enigszins: -0.3, wat: -0.1, nauwelijks: -0.5, amper: -0.5, licht: -0.3,
  },
  contrasts: ['maar', 'echter', 'desondanks'],
  concessives: ['hoewel', 'ondanks', 'alhoewel', 'ofschoon'],
  stems: nlStems,
  fallbackStop: [
    'die', 'want', 'kind', 'gift', 'bad', 'war', 'arm', 'rat', 'mist', 'slim', 'lost', 'door', 'hoe', 'hel', 'hell',
    'dom', 'rot', 'spot', 'all', 'in', 'also', 'will', 'fee', 'kill', 'pure', 'fit', 'boos', 'ban', 'vast', 'bent',
    'hard', 'wild', 'rust', 'top', 'best', 'fun', 'stuk', 'braver', 'dare', 'dear', 'help',
  ],
};
