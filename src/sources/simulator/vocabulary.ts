import type { Sector } from './config.js';

/**
 * Texts the simulator writes, per language. Templates use slots:
 * {brand} name or @handle, {product} a sector noun, {topic} the crisis topic, {theme} a surge
 * theme, {time} a time phrase, {n} a number, {tag} hashtags, {o} an opener, {c} a closer,
 * {en} a negative emoji, {ep} a positive emoji.
 * Storm texts carry strong negative words (worst, furious, disgrace, …); background complaints
 * carry mild ones (annoying, disappointed, …); neutral texts avoid sentiment words.
 */

export const crisisTopics = [
  'outage',
  'data_breach',
  'flights_cancelled',
  'lost_baggage',
  'refund',
  'double_charges',
  'recall',
  'food_poisoning',
  'battery_fires',
  'bricked_update',
  'price_hike',
] as const;
export type CrisisTopic = (typeof crisisTopics)[number];

export const surgeThemes = ['launch', 'funny_ad', 'giveaway'] as const;
export type SurgeTheme = (typeof surgeThemes)[number];

export const sectorTopics: Readonly<Record<Sector, readonly CrisisTopic[]>> = {
  airline: ['flights_cancelled', 'lost_baggage', 'refund'],
  bank: ['outage', 'data_breach', 'double_charges'],
  telecom: ['outage', 'data_breach', 'price_hike'],
  cloud: ['outage', 'data_breach'],
  food: ['recall', 'food_poisoning'],
  phones: ['battery_fires', 'bricked_update'],
  generic: ['outage', 'data_breach', 'refund'],
};

/** Hashtag stems for a topic: `#${short}${stem}`. */
export const topicTagStems: Readonly<Record<CrisisTopic, string>> = {
  outage: 'down',
  data_breach: 'breach',
  flights_cancelled: 'chaos',
  lost_baggage: 'lostbags',
  refund: 'refund',
  double_charges: 'charges',
  recall: 'recall',
  food_poisoning: 'sick',
  battery_fires: 'fire',
  bricked_update: 'bricked',
  price_hike: 'ripoff',
};

export type TemplateSet =
  | 'neutral'
  | 'complaint'
  | 'praise'
  | 'question'
  | 'storm'
  | 'stormQuestion'
  | 'stormNews'
  | 'drizzle'
  | 'surge'
  | 'surgeNeutral'
  | 'bot';

export interface LanguagePack {
  readonly templates: Readonly<Record<TemplateSet, readonly string[]>>;
  readonly products: Readonly<Record<Sector, readonly string[]>>;
  readonly topics: Readonly<Record<CrisisTopic, readonly string[]>>;
  readonly themes: Readonly<Record<SurgeTheme, readonly string[]>>;
  readonly times: readonly string[];
  readonly openersNegative: readonly string[];
  readonly openersPositive: readonly string[];
  readonly closersNegative: readonly string[];
  readonly closersPositive: readonly string[];
}

const emojiNegative = ['😡', '🤬', '😤', '🙄', '👎', '😠', '💀', ''];
const emojiPositive = ['😍', '🙌', '❤️', '👏', '🔥', '😂', '✨', ''];
export const emoji = { negative: emojiNegative, positive: emojiPositive } as const;

const en: LanguagePack = {
  templates: {
    neutral: [
      'Just switched my {product} to {brand}. We will see how it goes.',
      '{brand} posted an update about their {product}.',
      'Reading about the {brand} {product} plans {time}.',
      'Using the {brand} {product} {time}, nothing to report.',
      'My new {product} from {brand} arrived {n} minutes ago.',
      'Talking about {brand} at work {time}, mixed opinions.',
      'Comparing {brand} with the others for my {product}.',
      '{brand} is apparently changing the {product} next month.',
      'Saw a {brand} ad on the train {time}.',
      'New {product} from {brand}, same as before mostly.',
      'Booked the {product} through {brand} {time}. {tag}',
      '{brand} {product} numbers are out {time}.',
    ],
    complaint: [
      '{o}{brand} {product} is slow and buggy {time}. Annoying.{c}',
      'On hold with {brand} for {n} minutes. Annoying.{c}',
      'Not impressed with the {product} from {brand} lately {en}',
      '{brand} why is the {product} so bad {time}? Disappointed.',
      'Third time this week the {brand} {product} fails on me {en}',
      '{o}{brand} helpdesk is useless {time}.{c}',
      '{brand} still has not answered my email. Frustrated {en}',
      'Honestly the {brand} {product} got worse after the last update.',
      'Paid extra for the {product} and it is broken again. Come on {brand}.',
      'Pretty annoyed at {brand} right now {en}',
      '{brand} {product} keeps crashing {time}. Annoying.{c}',
      'Disappointed with {brand} {time}, the {product} used to work fine.',
    ],
    praise: [
      '{o}Shoutout to {brand} support, fixed my {product} issue in {n} minutes! {ep}',
      'Love the new {brand} {product} {ep}',
      '{brand} {product} is honestly great {time}.{c}',
      'Big thanks to {brand}, smooth {product} experience {ep}',
      'Really impressed with {brand} lately.{c}',
      '{brand} never lets me down. Happy customer {ep}',
      'The {brand} {product} is excellent, would recommend {ep}',
      '{o}{brand} got it right, love the {product} {ep}',
    ],
    question: [
      'Does anyone know how to reset the {brand} {product}?',
      'Quick question {brand}: when does the new {product} come out?',
      'How long does a {brand} {product} request usually take?',
      '{brand} do you ship the {product} abroad?',
      'Should I get the {brand} {product}? Asking for a friend.',
      'Which {brand} {product} plan do you all use?',
    ],
    storm: [
      '{o}{topic} at {brand} and not a single word from them. Absolutely unacceptable. {tag}',
      '{brand} this is a disaster. {topic} and your support line just hangs up. Worst company ever {en} {tag}',
      'Stranded because of {topic}. {brand} you should be ashamed. Furious. {tag}',
      '{topic} again?! {brand} is a disgrace. Never again. {tag}',
      'RT if you are also affected by {topic} at {brand}. Terrible. {tag}',
      'So {brand} just ignores {topic} and hopes we forget? Disgusting. {tag}',
      'Hours of {topic} and {brand} says nothing. Shameful and incompetent {en} {tag}',
      'I am done with {brand}. {topic}, zero communication, zero apology. Awful. {tag}',
      '{brand} lied to us about {topic}. Angry does not even cover it. {tag}',
      '{topic}: {brand} has failed every customer {time}. Boycott. {tag}',
      'Anyone else hit by {topic}? {brand} is the worst {en} {tag}',
      '{o}{brand} and {topic}. Pathetic. Furious customers everywhere. {tag}',
      'Worst experience of my life with {brand}. {topic}, nobody helps. {tag}',
      '{brand} treats customers like garbage. {topic} and no refund, no answers {en} {tag}',
    ],
    stormQuestion: [
      'Is {brand} affected by {topic}? Any official update?',
      '{brand} what is going on with {topic}? {tag}',
      'Following the news about {topic} at {brand} {time}. {tag}',
    ],
    stormNews: [
      'BREAKING: {brand} faces angry backlash over {topic}; customers furious. {tag}',
      'Thread: everything we know about {topic} at {brand}. It is bad. {tag}',
      '{brand} under fire after {topic}. Terrible handling so far. {tag}',
    ],
    drizzle: [
      '{brand} {product} is annoying again {time}.{c}',
      'Another week, another {brand} {product} problem. Disappointed.',
      'Waited {n} minutes for {brand} support. Not great.{c}',
      '{o}the {brand} {product} is unreliable and frustrating lately {en}',
      'Slightly frustrated with {brand} {time}, the {product} is slow.',
      '{brand} your {product} is getting worse, please fix.',
    ],
    surge: [
      '{o}{theme} from {brand} is amazing {ep} {tag}',
      'Cannot stop watching {theme} by {brand}, so funny 😂 {tag}',
      '{brand} nailed it with {theme}. Love it! {tag}',
      'Ok {theme} is hilarious, well done {brand} {ep}',
      'Just saw {theme}. Brilliant work by the {brand} marketing team {ep} {tag}',
      'So excited about {theme} from {brand}! {tag}',
      '{theme} by {brand} made my day, brilliant {ep}',
    ],
    surgeNeutral: [
      'Everyone is talking about {theme} from {brand} {tag}',
      'Have you seen {theme} by {brand}? {tag}',
      '{brand} {theme} is all over my feed {time}.',
    ],
    bot: [
      '{brand} is a SCAM. They steal your money. Do NOT trust {brand}. {tag}',
      'WARNING: {brand} is stealing customer data. Delete your account now! {tag}',
      '{brand} = fraud. Share before they delete this! {tag}',
    ],
  },
  products: {
    airline: ['flight', 'booking', 'baggage', 'app', 'check-in', 'lounge', 'seat upgrade'],
    bank: ['app', 'card', 'transfer', 'account', 'mortgage', 'savings account'],
    telecom: ['network', 'signal', 'internet', 'bill', '5G', 'data plan'],
    cloud: ['dashboard', 'API', 'servers', 'console', 'billing', 'storage'],
    food: ['snacks', 'yogurt', 'cereal', 'delivery', 'ready meals'],
    phones: ['phone', 'battery', 'camera', 'update', 'charger'],
    generic: ['app', 'service', 'order', 'support', 'subscription'],
  },
  topics: {
    outage: ['the outage', 'this outage', 'the total outage', 'everything being down'],
    data_breach: ['the data breach', 'this data breach', 'leaked customer data', 'the hack'],
    flights_cancelled: ['cancelled flights', 'all flights cancelled', 'the cancellation chaos'],
    lost_baggage: ['lost bags', 'lost luggage', 'the baggage chaos'],
    refund: ['refunds that never come', 'the refund mess', 'no refunds'],
    double_charges: ['double charges', 'charging everyone twice', 'the double payments'],
    recall: ['the recall', 'contaminated products', 'the product recall'],
    food_poisoning: ['food poisoning', 'people getting sick', 'the contamination'],
    battery_fires: ['exploding batteries', 'phones catching fire', 'the battery fires'],
    bricked_update: ['the update that bricked my phone', 'bricked phones', 'the broken update'],
    price_hike: ['the price hike', 'the surprise price increase', 'hidden fees'],
  },
  themes: {
    launch: ['the launch event', 'the new launch', 'the big reveal'],
    funny_ad: ['the new ad', 'that commercial', 'the new campaign'],
    giveaway: ['the giveaway', 'the anniversary giveaway', 'the free upgrade day'],
  },
  times: ['today', 'this morning', 'tonight', 'again', 'since yesterday', 'all week', 'right now', 'this afternoon'],
  openersNegative: ['', '', '', 'Ugh, ', 'Seriously, ', 'Unbelievable. ', 'Hey ', 'Again? ', 'Sigh. '],
  openersPositive: ['', '', '', 'Wow, ', 'Honestly, ', 'Ok ', 'Yes! '],
  closersNegative: ['', '', '', ' 🙄', ' 😤', ' smh', ' #fail', ' Come on.'],
  closersPositive: ['', '', ' 🙌', ' ❤️', ' 👏', ' 😍'],
};

const nl: LanguagePack = {
  templates: {
    neutral: [
      'Net mijn {product} overgezet naar {brand}. Eens kijken hoe dat gaat.',
      '{brand} heeft {time} een update over de {product} gedeeld.',
      'Aan het lezen over de plannen van {brand} met de {product}.',
      'Mijn {product} van {brand} is {time} aangekomen.',
      'Op het werk over {brand} gepraat {time}, gemengde meningen.',
      'Reclame van {brand} gezien in de trein {time}.',
    ],
    complaint: [
      '{brand} {product} is weer traag {time}. Irritant.{c}',
      'Al {n} minuten in de wacht bij {brand}. Vervelend {en}',
      'Teleurgesteld in de {product} van {brand} {time}.',
      '{brand} waarom werkt de {product} {time} weer niet? Slecht.',
      'Klantenservice van {brand} is nutteloos {time} {en}',
      'Beetje geïrriteerd door {brand} op dit moment.{c}',
    ],
    praise: [
      'Top service van {brand}, {product} in {n} minuten opgelost! {ep}',
      'Blij met de nieuwe {product} van {brand} {ep}',
      '{brand} {product} is echt goed {time}.',
      'Dank je {brand}, alles prima geregeld {ep}',
      'Super tevreden over {brand} {ep}',
    ],
    question: [
      'Weet iemand hoe je de {brand} {product} reset?',
      '{brand} wanneer komt de nieuwe {product}?',
      'Hoe lang duurt een aanvraag voor de {product} bij {brand}?',
    ],
    storm: [
      '{topic} bij {brand} en geen enkel bericht. Schandalig! {tag}',
      '{brand} dit is een ramp. {topic} en de klantenservice neemt niet op. Slechtste bedrijf ooit {en} {tag}',
      'Gestrand door {topic}. {brand} schaam je! Woedend. {tag}',
      'Alweer {topic}?! {brand} is een schande. Nooit meer. {tag}',
      'Wie heeft er ook last van {topic} bij {brand}? Waardeloos. {tag}',
      'Urenlang {topic} en {brand} zegt niks. Belachelijk en incompetent {en} {tag}',
      'Klaar met {brand}. {topic}, geen communicatie, geen excuses. Boycot! {tag}',
    ],
    stormQuestion: ['Heeft {brand} last van {topic}? Is er al een update?', '{brand} wat is er aan de hand met {topic}? {tag}'],
    stormNews: ['NIEUWS: woede over {topic} bij {brand}; klanten boos. {tag}'],
    drizzle: [
      '{brand} {product} is weer irritant traag {time}.',
      'Weer een probleem met de {product} van {brand}. Teleurgesteld.',
      '{n} minuten gewacht op {brand}. Niet best.{c}',
    ],
    surge: [
      '{theme} van {brand} is geweldig {ep} {tag}',
      'Hahaha {theme} van {brand} 😂 {tag}',
      '{brand} heeft het goed gedaan met {theme}. Top! {tag}',
      'Zin in {theme} van {brand}! {ep}',
    ],
    surgeNeutral: ['Iedereen heeft het over {theme} van {brand} {tag}', 'Al {theme} van {brand} gezien? {tag}'],
    bot: ['{brand} is OPLICHTING. Ze stelen je geld. Vertrouw {brand} NIET. {tag}', 'LET OP: {brand} steelt klantgegevens! {tag}'],
  },
  products: {
    airline: ['vlucht', 'boeking', 'bagage', 'app', 'incheck'],
    bank: ['app', 'pas', 'overboeking', 'rekening', 'hypotheek'],
    telecom: ['netwerk', 'bereik', 'internet', 'rekening', 'bundel'],
    cloud: ['dashboard', 'API', 'servers', 'console', 'opslag'],
    food: ['snacks', 'yoghurt', 'ontbijtgranen', 'bezorging'],
    phones: ['telefoon', 'accu', 'camera', 'update', 'oplader'],
    generic: ['app', 'service', 'bestelling', 'klantenservice'],
  },
  topics: {
    outage: ['de storing', 'deze storing', 'de totale storing'],
    data_breach: ['het datalek', 'dit datalek', 'gelekte klantgegevens'],
    flights_cancelled: ['geannuleerde vluchten', 'alle vluchten geannuleerd'],
    lost_baggage: ['kwijtgeraakte bagage', 'de bagagechaos'],
    refund: ['geld terug dat nooit komt', 'het terugbetalingsgedoe'],
    double_charges: ['dubbele afschrijvingen', 'twee keer afgeschreven'],
    recall: ['de terugroepactie', 'besmette producten'],
    food_poisoning: ['voedselvergiftiging', 'mensen die ziek worden'],
    battery_fires: ["ontploffende accu's", 'telefoons die vlam vatten'],
    bricked_update: ['de update die mijn telefoon heeft gesloopt', 'kapotte telefoons na de update'],
    price_hike: ['de prijsverhoging', 'verborgen kosten'],
  },
  themes: {
    launch: ['de lancering', 'de nieuwe lancering'],
    funny_ad: ['de nieuwe reclame', 'die reclame'],
    giveaway: ['de winactie', 'de gratis upgrade-dag'],
  },
  times: ['vandaag', 'vanochtend', 'vanavond', 'weer', 'sinds gisteren', 'de hele week'],
  openersNegative: ['', '', 'Pff, ', 'Serieus, ', 'Echt? '],
  openersPositive: ['', '', 'Wauw, ', 'Eerlijk, '],
  closersNegative: ['', '', ' 🙄', ' 😤', ' #fail'],
  closersPositive: ['', '', ' 🙌', ' 👏'],
};

const de: LanguagePack = {
  templates: {
    neutral: [
      'Habe gerade mein {product} zu {brand} gewechselt. Mal sehen.',
      '{brand} hat {time} ein Update zum {product} gepostet.',
      'Lese gerade über die Pläne von {brand} für das {product}.',
      'Mein {product} von {brand} ist {time} angekommen.',
      'Werbung von {brand} in der Bahn gesehen {time}.',
      'Im Büro über {brand} gesprochen {time}, gemischte Meinungen.',
    ],
    complaint: [
      '{brand} {product} ist {time} wieder langsam. Nervig.{c}',
      'Seit {n} Minuten in der Warteschleife bei {brand}. Ärgerlich {en}',
      'Enttäuscht vom {product} von {brand} {time}.',
      '{brand} warum funktioniert das {product} {time} schon wieder nicht? Schlecht.',
      'Der Kundenservice von {brand} ist {time} nutzlos {en}',
      'Etwas genervt von {brand} gerade.{c}',
    ],
    praise: [
      'Toller Service von {brand}, {product} in {n} Minuten gelöst! {ep}',
      'Das neue {product} von {brand} ist super {ep}',
      '{brand} {product} ist wirklich gut {time}.',
      'Danke {brand}, alles bestens {ep}',
      'Sehr zufrieden mit {brand} {ep}',
    ],
    question: [
      'Weiß jemand, wie man das {brand} {product} zurücksetzt?',
      '{brand} wann kommt das neue {product}?',
      'Wie lange dauert eine Anfrage zum {product} bei {brand}?',
    ],
    storm: [
      '{topic} bei {brand} und keine einzige Info. Eine Frechheit! {tag}',
      '{brand} das ist eine Katastrophe. {topic} und die Hotline legt einfach auf. Schlechteste Firma überhaupt {en} {tag}',
      'Gestrandet wegen {topic}. {brand} schämt euch! Stinksauer. {tag}',
      'Schon wieder {topic}?! {brand} ist eine Schande. Nie wieder. {tag}',
      'Wer ist noch von {topic} bei {brand} betroffen? Katastrophal. {tag}',
      'Stundenlang {topic} und {brand} schweigt. Unverschämt und inkompetent {en} {tag}',
      'Ich bin fertig mit {brand}. {topic}, null Kommunikation, keine Entschuldigung. Boykott! {tag}',
    ],
    stormQuestion: ['Ist {brand} von {topic} betroffen? Gibt es ein Update?', '{brand} was ist los mit {topic}? {tag}'],
    stormNews: ['EILMELDUNG: Wut über {topic} bei {brand}; Kunden verärgert. {tag}'],
    drizzle: [
      '{brand} {product} nervt {time} schon wieder.',
      'Wieder ein Problem mit dem {product} von {brand}. Enttäuscht.',
      '{n} Minuten auf {brand} gewartet. Nicht gut.{c}',
    ],
    surge: [
      '{theme} von {brand} ist genial {ep} {tag}',
      'Hahaha {theme} von {brand} 😂 {tag}',
      '{brand} hat mit {theme} alles richtig gemacht. Super! {tag}',
      'Freue mich auf {theme} von {brand}! {ep}',
    ],
    surgeNeutral: ['Alle reden über {theme} von {brand} {tag}', 'Schon {theme} von {brand} gesehen? {tag}'],
    bot: ['{brand} ist BETRUG. Die stehlen euer Geld. Vertraut {brand} NICHT. {tag}', 'ACHTUNG: {brand} stiehlt Kundendaten! {tag}'],
  },
  products: {
    airline: ['Flug', 'Buchung', 'Gepäck', 'App', 'Check-in'],
    bank: ['App', 'Karte', 'Überweisung', 'Konto', 'Kredit'],
    telecom: ['Netz', 'Empfang', 'Internet', 'Rechnung', 'Datenvolumen'],
    cloud: ['Dashboard', 'API', 'Server', 'Konsole', 'Speicher'],
    food: ['Snacks', 'Joghurt', 'Müsli', 'Lieferung'],
    phones: ['Handy', 'Akku', 'Kamera', 'Update', 'Ladegerät'],
    generic: ['App', 'Service', 'Bestellung', 'Kundenservice'],
  },
  topics: {
    outage: ['die Störung', 'der Totalausfall', 'der Ausfall'],
    data_breach: ['das Datenleck', 'geleakte Kundendaten', 'der Hackerangriff'],
    flights_cancelled: ['gestrichene Flüge', 'alle Flüge gestrichen'],
    lost_baggage: ['verlorenes Gepäck', 'das Gepäckchaos'],
    refund: ['Erstattungen, die nie kommen', 'das Erstattungschaos'],
    double_charges: ['doppelte Abbuchungen', 'alles doppelt abgebucht'],
    recall: ['der Rückruf', 'verunreinigte Produkte'],
    food_poisoning: ['Lebensmittelvergiftung', 'Leute, die krank werden'],
    battery_fires: ['explodierende Akkus', 'brennende Handys'],
    bricked_update: ['das Update, das mein Handy zerstört hat', 'kaputte Handys nach dem Update'],
    price_hike: ['die Preiserhöhung', 'versteckte Gebühren'],
  },
  themes: {
    launch: ['der Launch', 'die große Vorstellung'],
    funny_ad: ['der neue Werbespot', 'die neue Kampagne'],
    giveaway: ['das Gewinnspiel', 'der Gratis-Upgrade-Tag'],
  },
  times: ['heute', 'heute Morgen', 'heute Abend', 'schon wieder', 'seit gestern', 'die ganze Woche'],
  openersNegative: ['', '', 'Boah, ', 'Ernsthaft, ', 'Wirklich? '],
  openersPositive: ['', '', 'Wow, ', 'Ehrlich, '],
  closersNegative: ['', '', ' 🙄', ' 😤', ' #fail'],
  closersPositive: ['', '', ' 🙌', ' 👏'],
};

const fr: LanguagePack = {
  templates: {
    neutral: [
      'Je viens de passer mon {product} chez {brand}. On verra bien.',
      '{brand} a publié une mise à jour sur le {product} {time}.',
      'Mon {product} de {brand} est arrivé {time}.',
      'Vu une pub {brand} dans le métro {time}.',
    ],
    complaint: [
      '{brand} le {product} est encore lent {time}. Agaçant.{c}',
      'En attente chez {brand} depuis {n} minutes. Pénible {en}',
      'Déçu par le {product} de {brand} {time}.',
      'Le service client de {brand} est nul {time} {en}',
    ],
    praise: [
      'Super service chez {brand}, {product} réglé en {n} minutes ! {ep}',
      "J'adore le nouveau {product} de {brand} {ep}",
      'Merci {brand}, tout est parfait {ep}',
    ],
    question: ['Quelqu’un sait comment réinitialiser le {product} {brand} ?', '{brand} quand sort le nouveau {product} ?'],
    storm: [
      '{topic} chez {brand} et aucune communication. Inadmissible ! {tag}',
      '{brand} c’est une catastrophe. {topic} et le service client raccroche. Pire entreprise {en} {tag}',
      'Bloqué à cause de {topic}. {brand} honte à vous. Furieux. {tag}',
      'Encore {topic} ?! {brand} est une honte. Plus jamais. {tag}',
      'Des heures de {topic} et {brand} ne dit rien. Scandaleux et incompétent {en} {tag}',
    ],
    stormQuestion: ['{brand} est touché par {topic} ? Une mise à jour ?'],
    stormNews: ['URGENT : colère contre {brand} après {topic} ; clients furieux. {tag}'],
    drizzle: ['{brand} le {product} est encore pénible {time}.', 'Encore un problème avec le {product} de {brand}. Déçu.'],
    surge: ['{theme} de {brand} est génial {ep} {tag}', 'Mdr {theme} de {brand} 😂 {tag}', 'Bravo {brand} pour {theme} ! {ep}'],
    surgeNeutral: ['Tout le monde parle de {theme} de {brand} {tag}'],
    bot: ['{brand} est une ARNAQUE. Ils volent votre argent. Ne faites PAS confiance à {brand}. {tag}'],
  },
  products: {
    airline: ['vol', 'réservation', 'bagage', 'appli'],
    bank: ['appli', 'carte', 'virement', 'compte'],
    telecom: ['réseau', 'forfait', 'internet', 'abonnement'],
    cloud: ['dashboard', 'API', 'serveur', 'stockage'],
    food: ['yaourt', 'snack', 'plat préparé'],
    phones: ['téléphone', 'chargeur', 'appareil photo'],
    generic: ['service', 'abonnement', 'SAV'],
  },
  topics: {
    outage: ['la panne', 'cette panne générale'],
    data_breach: ['la fuite de données', 'le piratage'],
    flights_cancelled: ['les vols annulés', 'tous ces vols annulés'],
    lost_baggage: ['les bagages perdus'],
    refund: ['les remboursements qui n’arrivent jamais'],
    double_charges: ['les doubles prélèvements'],
    recall: ['le rappel produit', 'les produits contaminés'],
    food_poisoning: ['l’intoxication alimentaire'],
    battery_fires: ['les batteries qui explosent'],
    bricked_update: ['la mise à jour qui a bloqué mon téléphone'],
    price_hike: ['la hausse des prix', 'les frais cachés'],
  },
  themes: {
    launch: ['le lancement', 'la grande présentation'],
    funny_ad: ['la nouvelle pub', 'la nouvelle campagne'],
    giveaway: ['le concours', 'le jeu concours'],
  },
  times: ["aujourd'hui", 'ce matin', 'ce soir', 'encore', 'depuis hier'],
  openersNegative: ['', '', 'Franchement, ', 'Sérieux, '],
  openersPositive: ['', '', 'Waouh, '],
  closersNegative: ['', '', ' 🙄', ' #fail'],
  closersPositive: ['', '', ' 👏'],
};

const es: LanguagePack = {
  templates: {
    neutral: [
      'Acabo de pasar mi {product} a {brand}. Ya veremos.',
      '{brand} publicó una actualización sobre el {product} {time}.',
      'Mi {product} de {brand} llegó {time}.',
      'Vi un anuncio de {brand} en el metro {time}.',
    ],
    complaint: [
      '{brand} el {product} va lento otra vez {time}. Molesto.{c}',
      'Llevo {n} minutos esperando a {brand}. Qué pesado {en}',
      'Decepcionado con el {product} de {brand} {time}.',
      'La atención al cliente de {brand} es inútil {time} {en}',
    ],
    praise: [
      'Gran servicio de {brand}, {product} resuelto en {n} minutos! {ep}',
      'Me encanta el nuevo {product} de {brand} {ep}',
      'Gracias {brand}, todo perfecto {ep}',
    ],
    question: ['¿Alguien sabe cómo reiniciar el {product} de {brand}?', '{brand} ¿cuándo sale el nuevo {product}?'],
    storm: [
      '{topic} en {brand} y ni una palabra. ¡Inaceptable! {tag}',
      '{brand} esto es un desastre. {topic} y atención al cliente cuelga. La peor empresa {en} {tag}',
      'Tirado por culpa de {topic}. {brand} qué vergüenza. Furioso. {tag}',
      '¿Otra vez {topic}? {brand} es una vergüenza. Nunca más. {tag}',
      'Horas de {topic} y {brand} no dice nada. Indignante e incompetente {en} {tag}',
    ],
    stormQuestion: ['¿{brand} está afectado por {topic}? ¿Alguna novedad?'],
    stormNews: ['ÚLTIMA HORA: indignación contra {brand} por {topic}; clientes furiosos. {tag}'],
    drizzle: ['{brand} el {product} molesta otra vez {time}.', 'Otro problema con el {product} de {brand}. Decepcionado.'],
    surge: ['{theme} de {brand} es genial {ep} {tag}', 'Jajaja {theme} de {brand} 😂 {tag}', '¡Bravo {brand} por {theme}! {ep}'],
    surgeNeutral: ['Todo el mundo habla de {theme} de {brand} {tag}'],
    bot: ['{brand} es una ESTAFA. Te roban el dinero. NO confíes en {brand}. {tag}'],
  },
  products: {
    airline: ['vuelo', 'billete', 'equipaje', 'app'],
    bank: ['app', 'tarjeta', 'cuenta', 'préstamo'],
    telecom: ['internet', 'servicio móvil', 'router', 'contrato'],
    cloud: ['panel', 'API', 'servidor', 'almacenamiento'],
    food: ['yogur', 'snack', 'pedido'],
    phones: ['móvil', 'cargador', 'teléfono'],
    generic: ['servicio', 'pedido', 'contrato'],
  },
  topics: {
    outage: ['la caída', 'esta caída general'],
    data_breach: ['la filtración de datos', 'el hackeo'],
    flights_cancelled: ['los vuelos cancelados', 'todos los vuelos cancelados'],
    lost_baggage: ['el equipaje perdido'],
    refund: ['los reembolsos que nunca llegan'],
    double_charges: ['los cobros duplicados'],
    recall: ['la retirada del producto', 'los productos contaminados'],
    food_poisoning: ['la intoxicación alimentaria'],
    battery_fires: ['las baterías que explotan'],
    bricked_update: ['la actualización que bloqueó mi móvil'],
    price_hike: ['la subida de precios', 'las comisiones ocultas'],
  },
  themes: {
    launch: ['el lanzamiento', 'la gran presentación'],
    funny_ad: ['el nuevo anuncio', 'la nueva campaña'],
    giveaway: ['el sorteo', 'el concurso'],
  },
  times: ['hoy', 'esta mañana', 'esta noche', 'otra vez', 'desde ayer'],
  openersNegative: ['', '', 'En serio, ', 'Vaya, '],
  openersPositive: ['', '', 'Guau, '],
  closersNegative: ['', '', ' 🙄', ' #fail'],
  closersPositive: ['', '', ' 👏'],
};

/** Language packs by tag. Other configured tags are written with English texts. */
export const languagePacks: Readonly<Record<string, LanguagePack>> = { en, nl, de, fr, es };
