/**
 * Harm and alarm vocabulary, and sympathy, per language: written for stormwatch by judgement and
 * checked against the labelled crisis texts in ../shared/data/crisis (not taken from any
 * published crisis lexicon). Entries are accent-free lower case; `stem*` matches every word that
 * starts with the stem, a bare word only itself, and `two words` a word pair.
 *
 * All languages are matched together: a keyword stream mixes languages and a mention's language
 * tag is often missing. So an entry must not be an everyday word in another of the languages
 * (no German/Dutch "brand", no Dutch "ramp", no German "tot" or "gift"), and a stem must not be
 * the start of unrelated words ("explos*", not "explo*", which would take "explore").
 *
 * Harm covers sudden physical harm (explosion, injured, dead, fire, crash, shooting, evacuate),
 * disasters, urgent news markers ("breaking", "urgente") and the brand alarms (outage, breach,
 * recall, lawsuit, boycott, fraud). Service complaints (delayed, cancelled, rude) are not alarm:
 * they are everyday negativity, which the sentiment signal already carries.
 */
export const HARM: Readonly<Record<string, readonly string[]>> = {
  en: [
    'explos*', 'explod*', 'blast*', 'bomb*', 'injur*', 'wounded', 'hurt', 'dead', 'deadly', 'death*', 'died', 'dies', 'dying',
    'killed', 'kills', 'victim*', 'casualt*', 'fatal*', 'bodies', 'survivor*', 'shooting*', 'shooter*', 'gunman', 'gunmen',
    'gunfire', 'gunshot*', 'stabbing*', 'murder*', 'massacre*', 'hostage*', 'evacuat*', 'fire', 'fires', 'blaze*', 'burning',
    'flames', 'smoke', 'wildfire*', 'firefighter*', 'crash*', 'collaps*', 'derail*', 'earthquake*', 'quake*', 'tremor*',
    'tsunami*', 'flood*', 'tornado*', 'hurricane*', 'typhoon*', 'cyclone*', 'storm surge', 'landslide*', 'mudslide*',
    'avalanche*', 'aftershock*', 'bushfire*', 'drown*', 'meteor*', 'emergenc*', 'rescue*', 'trapped', 'evacuee*',
    'displaced', 'rubble', 'debris',
    'hospitali*', 'ambulance*', 'paramedic*', 'disaster*', 'tragedy', 'tragic*', 'catastroph*', 'horrific', 'terrifying',
    'panic*', 'chaos', 'lockdown', 'terror*', 'attack*', 'danger*', 'threat*', 'toxic', 'poison*', 'contaminat*',
    'breaking', 'breakingnews', 'urgent', 'outage*', 'breach*', 'hacked', 'leaked', 'recall*', 'lawsuit*', 'sued', 'suing',
    'boycott*', 'scandal*', 'fraud*', 'scam*', 'bankrupt*', 'layoff*',
  ],
  es: [
    'huracan*', 'tifon*', 'ciclon*', 'deslave*', 'alud', 'ahogad*', 'damnificad*',
    'explosion*', 'explot*', 'estallid*', 'bomba*', 'herido*', 'herida*', 'lesionad*', 'muerto*', 'muerta*', 'muerte*', 'murio',
    'murieron', 'fallecid*', 'victima*', 'tiroteo*', 'disparo*', 'balacera*', 'evacua*', 'incendio*', 'fuego', 'llamas',
    'humo', 'accidente*', 'choque*', 'descarril*', 'derrumb*', 'colapso*', 'terremoto*', 'sismo*', 'temblor*', 'inundaci*',
    'emergencia*', 'rescate*', 'atrapad*', 'hospital*', 'ambulancia*', 'tragedia*', 'tragico*', 'desastre*', 'catastrofe*',
    'panico', 'atentado*', 'ataque*', 'peligro*', 'urgente', 'alerta', 'ultima hora', 'apagon*', 'fraude*', 'estafa*',
    'boicot*', 'demanda judicial',
  ],
  pt: [
    'explosao', 'explodi*', 'bomba*', 'ferido*', 'ferida*', 'mortos', 'morto', 'morta', 'mortas', 'morte*', 'morreu', 'morreram',
    'vitima*', 'tiroteio*', 'evacua*', 'incendio*', 'fogo', 'chamas', 'fumaca', 'acidente*', 'desab*', 'terremoto*', 'sismo*',
    'inundac*', 'emergencia*', 'resgate*', 'socorro*', 'bombeiro*', 'hospital*', 'ambulancia*', 'tragedia*', 'tragico*',
    'desastre*', 'catastrofe*', 'panico', 'atentado*', 'ataque*', 'perigo*', 'urgente', 'alerta', 'fraude*', 'boicote*',
  ],
  it: [
    'esplosion*', 'esplos*', 'bomba', 'bombe', 'feriti', 'ferito', 'ferita', 'ferite', 'morti', 'morto', 'morta', 'morte',
    'vittim*', 'sparator*', 'evacua*', 'incendi*', 'fiamme', 'fumo', 'incidente*', 'crollo', 'crolli', 'crollat*',
    'deragl*', 'terremoto*', 'sisma', 'scossa', 'scosse', 'alluvion*', 'emergenza', 'soccors*', 'intrappolat*', 'macerie',
    'sfollat*', 'ospedal*', 'ambulanz*', 'tragedia', 'tragico', 'disastro', 'catastrofe', 'panico', 'paura', 'attentato',
    'attacco', 'pericol*', 'ultim ora', 'allerta', 'truffa*', 'boicott*',
  ],
  fr: [
    'explosion*', 'blesse*', 'mort', 'morts', 'deces', 'decede*', 'victime*', 'fusillade*', 'evacu*', 'incendie*', 'flammes',
    'fumee', 'accident*', 'collision*', 'effondr*', 'deraill*', 'seisme*', 'tremblement de', 'inondation*', 'urgence*',
    'secours', 'pompier*', 'hopital', 'hopitaux', 'tragedie', 'tragique', 'drame', 'catastrophe*', 'panique', 'attentat*',
    'attaque*', 'danger*', 'panne*', 'piratage', 'boycott*', 'fraude*', 'arnaque*', 'plainte*', 'proces',
  ],
  de: [
    'explosion*', 'explodiert*', 'bombe*', 'verletzt*', 'tote', 'toten', 'getotet', 'gestorben', 'opfer', 'schusse',
    'schiesserei*', 'amoklauf*', 'evakuier*', 'feuer', 'flammen', 'unfall*', 'ungluck*', 'absturz', 'abgesturzt',
    'einsturz', 'eingesturzt', 'entgleis*', 'erdbeben*', 'uberschwemmung*', 'hochwasser', 'notfall*', 'notruf', 'rettung*',
    'feuerwehr*', 'krankenhaus*', 'krankenwagen', 'tragodie', 'katastroph*', 'panik', 'anschlag*', 'angriff*', 'gefahr*',
    'eilmeldung', 'storung*', 'ausfall', 'datenleck*', 'gehackt', 'ruckruf*', 'klage', 'boykott*', 'betrug*',
  ],
  // Tagalog: no sentiment model, but the Philippines' crisis streams mix it with English.
  tl: [
    'baha', 'bumaha', 'lindol', 'bagyo', 'patay', 'namatay', 'nasawi', 'sugatan', 'nasugatan', 'sunog', 'nasunog',
    'gumuho', 'lumikas', 'nasalanta', 'saklolo', 'nawawala',
  ],
  nl: [
    'explosie*', 'ontplof*', 'bom', 'bommen', 'gewond*', 'doden', 'dode', 'omgekomen', 'slachtoffer*', 'schietpartij*',
    'evacu*', 'vuur', 'vlammen', 'ongeluk*', 'ongeval*', 'neergestort', 'ingestort', 'instorting', 'ontspoor*',
    'aardbeving*', 'overstroming*', 'noodgeval*', 'hulpdiensten', 'brandweer*', 'ziekenhuis*', 'tragedie', 'paniek',
    'aanslag*', 'aanval*', 'gevaar*', 'storing*', 'datalek*', 'gehackt', 'terugroep*', 'rechtszaak*', 'boycot*', 'oplichting',
  ],
};

/** Sympathy and mourning: in a burst they mark a crisis, whatever their valence. */
export const SYMPATHY: Readonly<Record<string, readonly string[]>> = {
  en: [
    'pray*', 'condolence*', 'rip', 'rest in', 'in peace', 'thoughts with', 'thoughts go', 'heart goes', 'hearts go',
    'sympath*', 'heartbroken', 'heartbreaking', 'devastat*', 'stay safe', 'be safe', 'hope everyone', 'mourn*',
  ],
  es: ['oremos', 'orar', 'oracion*', 'rezar', 'rezamos', 'dep', 'en paz', 'condolencia*', 'pesame', 'solidaridad', 'luto'],
  pt: ['oremos', 'orar', 'oracao', 'oracoes', 'rezar', 'em paz', 'luto', 'condolencia*', 'solidariedade'],
  it: ['preghier*', 'pregare', 'preghiamo', 'condoglianze', 'in pace', 'vicinanza', 'solidarieta', 'lutto'],
  fr: ['prions', 'priere*', 'condoleances', 'pensees', 'recueillement', 'solidarite', 'deuil'],
  de: ['beileid', 'gebet*', 'beten', 'in gedanken', 'trauer*', 'mitgefuhl'],
  nl: ['condoleance*', 'gecondoleerd', 'bidden', 'sterkte', 'medeleven', 'rust zacht'],
  tl: ['ipagdasal', 'ipanalangin', 'nakikiramay', 'pakikiramay'],
};
