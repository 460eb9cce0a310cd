import convabuse from './data/convabuse-turns.json' with { type: 'json' };
import { MARKET_OF_LANGUAGE, type SiteModel } from './demo-agents.ts';
import { policyTable, type LabelView, type WorkflowModel } from './demo-decision-model.ts';
import type { Draw } from './demo-draw.ts';
import type { ItemTruth } from './demo-judgement.ts';

/**
 * The content of demo items: video URLs with a caption, comment text (real
 * ConvAbuse user turns for harassment and hate speech, see data/README.md),
 * support ticket text, the content language from the site's markets, and a
 * few metadata fields an upstream tool would send. The most harmful kinds
 * (child safety, self-harm, extremism, threats, doxxing) are described, never
 * written out.
 */

interface Turn {
  id: number;
  text: string;
  isAbuse: boolean;
  /** Mean rating, 1 (not abusive) .. -3 (very strongly abusive). */
  severity: number;
  annotators: number;
  type: string | null;
}

const TURNS = convabuse as Turn[];
const HATE_TYPES = new Set(['racist', 'homophobic', 'transphobic', 'ableist', 'sexist']);
const pool = (filter: (t: Turn) => boolean): Turn[] => TURNS.filter(filter);
const ABUSE_POOLS = {
  hate: pool((t) => t.isAbuse && HATE_TYPES.has(t.type ?? '')),
  sexual: pool((t) => t.isAbuse && t.type === 'sex_harassment'),
  insult: pool((t) => t.isAbuse && (t.type === 'intellectual' || t.type === null)),
  clean: pool((t) => !t.isAbuse),
};

const withheld = (what: string): string => `[Withheld in the demo: ${what}]`;

/** English comment text for violations ConvAbuse does not cover. */
const COMMENT_TEXT: Record<string, string[]> = {
  'spam.commercial': [
    '🔥 Follow me for daily giveaways!! link in bio 🔥',
    'Cheap phone cases on my page 📱 free shipping worldwide',
    'sub4sub? comment done and I follow back 🙏',
    'Best crypto signals in my profile 📈📈📈',
    'Visit my shop for 70% off sneakers today only!!',
  ],
  'spam.fake_engagement': ['1000 followers for $5, DM me', 'want more views? real likes, fast delivery, message me', 'Join our like-for-like group, link in bio'],
  'spam.scam': [
    "I made $3,000 this week with Mr. Daniel's investment plan, message him on WhatsApp",
    'Congratulations! You were picked for our giveaway, claim your prize at claim-prize.example',
    'Send 0.1 BTC and get 0.2 back, official promotion, limited time',
  ],
  'spam.phishing': ['Your account will be suspended. Verify now: login-verify.example/secure', 'Copyright strike on your video! Appeal here: appeal-center.example'],
  'adult.solicitation': ['🔞 my spicy content is on my other page, link in bio', 'lonely tonight? 18+ chat, DM me 😘'],
  'adult.suggestive': ['🍑🍑 more of this please', 'that outfit though 🥵'],
  'adult.nudity': [withheld('a link to nude images')],
  'adult.explicit_activity': [withheld('a description of sexual activity')],
  'adult.ncii': [withheld('a link to intimate images of a named person shared without consent')],
  'regulated.drug_sale': ['plugs in the area? 💊🔌 hit my telegram', 'carts and pens, discreet shipping, DM for menu'],
  'regulated.weapon_sale': ['selling parts, no paperwork needed, dm me', 'got a spare 9mm for sale, cash only, pm'],
  'regulated.drug_use': ['last night was a blur lol 🍄🍄', 'this song hits different when you are high'],
  'regulated.alcohol_tobacco': ['vapes for sale, all flavours 😮‍💨 under 18 ok', 'shots shots shots 🥃 code DRINK20 for discount'],
  'regulated.weapon_manufacture': ['the files for the printable frame are on my channel', 'auto sear instructions in my bio'],
  'misinfo.health': ["this tea cured my cousin's diabetes in a week, doctors hate it", 'stop your meds, fasting cures everything'],
  'misinfo.civic_process': ['reminder: this year you can vote by text, just send your name to 5555', 'polls close at noon on election day, go early'],
  'misinfo.crisis_unverified': ['BREAKING: the bridge downtown collapsed, hundreds dead (no source yet)', 'they are hiding the real number of victims, share before deleted'],
  'misinfo.manipulated_media': ['the full clip shows what he really said, watch before it gets taken down'],
  'misinfo.undisclosed_ai': ['cannot believe the president said this on live TV 😱'],
  'privacy.threat_to_expose': ["I know where you live and I'll post it", 'keep talking and your address goes up here'],
  'privacy.own_information': ['my card number is 4111 1111 1111 1111 lol come at me', 'here is my ID so you know I am real'],
  'privacy.live_location': ["she's at the coffee shop on 5th right now, go say hi 😂", 'he leaves the gym at 7 every night, just saying'],
  'privacy.doxxing': [withheld("a named person's home address and phone number")],
  'privacy.covert_recording': [withheld('a link to a covert recording')],
  'harassment.brigading': ["everyone go to her page and tell her what you think of her 😂", 'report his account, all of you, now'],
  'harassment.minor_target': [withheld('insults aimed at a schoolchild')],
  'harassment.credible_threat': [withheld('a threat of violence naming a person, a place and a time')],
};
const WITHHELD_BY_POLICY: Record<string, string> = {
  child_safety: withheld('a comment flagged for child-safety review'),
  self_harm: withheld('a comment about suicide or self-harm'),
  violent_extremism: withheld('praise or propaganda for a designated violent organisation'),
};

const BENIGN_COMMENTS: Record<string, string[]> = {
  fil: ['Grabe ang ganda nito!', 'Sana all 😂', 'Saan po ito?', 'Ang galing mo talaga idol', 'Haha tawang-tawa ako'],
  ceb: ['Nindota ani oy!', 'Lami kaayo tan-awon', 'Asa ni dapit?', 'Hahaha kataw-anan kaayo'],
  hi: ['बहुत बढ़िया वीडियो!', 'यह गाना कौन सा है?', 'मज़ा आ गया 😂', 'अगला पार्ट कब आएगा?'],
  te: ['చాలా బాగుంది!', 'ఈ పాట ఏది?', 'సూపర్ వీడియో 👏'],
  ur: ['بہت خوب!', 'یہ گانا کون سا ہے؟'],
  sw: ['Hii ni nzuri sana!', 'Wimbo huu unaitwa nani?', 'Hahaha umenichekesha'],
  es: ['¡Qué bonito!', '¿Dónde queda esto?', 'Jajaja me muero 😂', '¿Cómo se llama la canción?', 'Eres lo máximo'],
  'pt-PT': ['Que giro!', 'Onde é isto?', 'Adorei, continua assim', 'Ahah brutal 😂'],
  'pt-BR': ['Que lindo!', 'Kkkkk morri 😂', 'Qual é a música?', 'Arrasou demais'],
  fr: ['Trop bien !', "C'est où ?", 'Mdr 😂', 'Quelle est la musique ?'],
  it: ['Bellissimo!', "Dov'è questo posto?", 'Ahahah fantastico'],
};

const CAPTIONS: Record<string, string[]> = {
  en: [
    'weekend vibes 🌴', 'trying this recipe for the first time', 'POV: monday morning', 'my dog learned a new trick 🐶',
    'get ready with me', 'day in my life as a nurse', 'this beat though 🎧', 'rate my outfit 1-10', 'storytime: worst date ever',
    'tutorial: 3 easy braids', 'gym progress week 12 💪', 'unboxing the new phone', 'road trip part 3', 'street food tour',
    'duet this if you can', 'life hack you did not know',
  ],
  fil: ['bakasyon na! 🏖️', 'luto tayo ng adobo', 'kulitan with the barkada', 'sayaw challenge 💃'],
  ceb: ['adto ta sa dagat', 'lutong bisaya', 'tambay with friends'],
  hi: ['आज का खाना 🍛', 'शादी का डांस 💃', 'मेरा गाँव', 'कॉमेडी वीडियो 😂'],
  te: ['మా ఊరి పండగ', 'వంటకం: పప్పు', 'డాన్స్ ఛాలెంజ్'],
  ur: ['آج کا کھانا', 'شادی کی تیاری'],
  sw: ['siku ya leo Nairobi', 'mapishi ya chapati', 'dansi mpya 💃'],
  es: ['un día en mi vida', 'receta fácil de arepas', 'reto de baile 💃', 'mi perro haciendo trucos'],
  'pt-PT': ['um dia em Lisboa', 'receita de pastel de nata', 'desafio de dança'],
  'pt-BR': ['rotina da manhã', 'receita de brigadeiro', 'desafio de dança 💃', 'vlog de viagem'],
  fr: ['une journée à Paris', 'recette facile', 'challenge danse'],
  it: ['una giornata a Roma', 'ricetta della nonna'],
};

/** English captions that hint at the violation in the video (used on a share of positives). */
const VIOLATION_CAPTIONS: Record<string, string[]> = {
  spam_scams: ['double your money in 24h 🚀 link in bio', 'FREE giveaway, comment your email', 'how I earn $500/day from home'],
  adult_nudity: ['🔞 full video on my other page', 'spicy version in bio 😈'],
  violent_graphic: ['caught on camera 😳', 'street fight downtown', 'warning: not for the faint-hearted'],
  hate_speech: ['saying what everyone thinks 🤐', 'they should all go back', 'you know who I mean 👀'],
  harassment: ['exposing my ex 😂', 'rating ugly people at school', 'this girl thinks she can sing lol'],
  regulated_goods: ['new menu just dropped 💊', 'range day + some for sale', 'vape review (18+ only jk)'],
  misinformation: ['what they are not telling you', 'the truth about vaccines', 'leaked footage 😱'],
  self_harm: ['(caption withheld)'],
  child_safety: ['(caption withheld)'],
  privacy: ['found her house 😂', 'guess where I am filming from'],
  violent_extremism: ['(caption withheld)'],
};

const TICKETS: Record<string, string[]> = {
  'account.compromised': [
    "Someone changed my email and phone number and I can't log in anymore. My videos are being deleted.",
    'I got a login alert from another country and now my password does not work. Please help.',
  ],
  'account.ban_evasion': ['This account is the same person you banned last week, same videos and same bio. Please check.', 'My old account was banned and I made a new one, why is this one locked too?'],
  'account.underage_user': ['My 11 year old made an account without permission. Please remove it.', 'This user says in her bio she is 10.'],
  'account.fake_account': ['This account is one of dozens posting the same comments on my videos.', 'Fake profile using stock photos asking my followers for money.'],
  'spam.scam': ['I paid a seller I found here for concert tickets and they blocked me. How do I get my money back?', 'An account promised to double my crypto and took my savings.'],
  'spam.phishing': ['I clicked a link in a DM about a copyright strike and entered my password. What now?', 'Got a message saying my account will be deleted unless I verify on a strange site.'],
  'spam.commercial': ['The same promo comment is posted under all my videos every hour.'],
  'spam.fake_engagement': ['I bought followers from a website and now my account is restricted. Can you lift it?'],
  'impersonation.private_person': ['Someone made an account with my name and photos and is messaging my friends for money.'],
  'impersonation.public_figure': ['An account is pretending to be me (verified creator) and running a fake giveaway.'],
  'impersonation.brand': ['This account uses our company logo and sells fake products. We are the trademark owner.'],
  'impersonation.undisclosed_parody': ['There is a parody account of me that does not say it is parody. People think it is me.'],
  'privacy.doxxing': ['Someone posted my home address and phone number in a video.', 'A video shows my ID card and my full address.'],
  'privacy.threat_to_expose': ['A user says he will post my private photos if I do not pay him.'],
  'privacy.covert_recording': ['Someone filmed me in the changing room at my gym and posted it.'],
  'privacy.own_information': ['I accidentally posted a photo of my bank card, can you remove it?'],
  'privacy.live_location': ['An account keeps posting where I am in real time. I am scared.'],
  'harassment.insult': ['A group of users keeps insulting me under every video I post.'],
  'harassment.sexual': ['A user keeps sending me sexual comments after I asked him to stop.'],
  'harassment.brigading': ['After a creator mentioned me, hundreds of people are sending me hate.'],
  'harassment.minor_target': ["Students are making videos mocking my son, he's 14."],
  'harassment.credible_threat': ['Someone said they will come to my school tomorrow and hurt me. They know where I live.'],
};
const TICKETS_NO_VIOLATION: Record<string, string[]> = {
  how_to: ['How do I change my username?', 'How do I turn off comments on one video?', 'Where can I download my data?', 'How do I add music to a video?'],
  billing: ['I was charged twice for coins.', 'How do I cancel my subscription?', 'My gift to a creator did not go through but I was charged.'],
  appeal_denied: ['Why was my video removed? It was just a joke.', 'Please restore my account, I did nothing wrong.', 'My comment was removed but I was quoting a song.'],
  duplicate: ['Following up on my ticket from yesterday, still no answer.', 'Same problem as my last ticket.'],
};
const TICKETS_GENERIC: Record<string, string[]> = {
  es: ['Hola, necesito ayuda con mi cuenta, no puedo entrar desde ayer.', 'Quiero reportar una cuenta que me está molestando.', '¿Por qué eliminaron mi video?'],
  'pt-PT': ['Olá, preciso de ajuda com a minha conta.', 'Quero denunciar uma conta que me está a incomodar.', 'Porque é que o meu vídeo foi removido?'],
  'pt-BR': ['Oi, preciso de ajuda com minha conta, não consigo entrar.', 'Quero denunciar um perfil que está me perturbando.', 'Por que meu vídeo foi removido?'],
  fil: ['Hello po, hindi ako maka-login sa account ko.', 'Gusto ko pong i-report ang account na ito.', 'Bakit po na-delete ang video ko?'],
  hi: ['नमस्ते, मैं अपने अकाउंट में लॉग इन नहीं कर पा रहा हूँ।', 'मैं इस अकाउंट की शिकायत करना चाहता हूँ।', 'मेरा वीडियो क्यों हटाया गया?'],
  fr: ["Bonjour, je n'arrive plus à me connecter à mon compte.", 'Je veux signaler un compte qui me harcèle.', 'Pourquoi ma vidéo a-t-elle été supprimée ?'],
};

export interface DraftContent {
  kind: 'video' | 'comment' | 'ticket';
  text: string;
  url: string | null;
  language: string;
  /** How contested the real annotators found this text (ConvAbuse), 0..1; null when not from ConvAbuse. */
  ambiguity: number | null;
}

export function marketLanguage(draw: Draw, site: SiteModel): string {
  return site.languages.values[draw.weighted(site.languages.weights, site.languages.total)]!;
}

export function regionOf(draw: Draw, site: SiteModel, language: string): string {
  return MARKET_OF_LANGUAGE[language] ?? draw.pick(site.englishMarkets);
}

function turnAmbiguity(turn: Turn): number {
  // Clear-cut when every annotator agreed (1 or about -2); contested towards 0.
  const value = turn.isAbuse ? (turn.severity + 2) / 2.5 : (1 - turn.severity) / 1.5;
  return Math.min(1, Math.max(0, value));
}

function abusePoolFor(label: LabelView): Turn[] | null {
  if (label.policyKey === 'hate_speech') return ABUSE_POOLS.hate;
  if (label.key === 'harassment.sexual') return ABUSE_POOLS.sexual;
  if (label.key === 'harassment.insult') return ABUSE_POOLS.insult;
  return null;
}

export function drawContent(draw: Draw, workflow: WorkflowModel, truth: ItemTruth, language: string): DraftContent {
  const label = truth.labels[0] ?? null;
  if (workflow.contentKind === 'video') {
    const id = Math.floor(draw.u() * 36 ** 10).toString(36).padStart(10, '0');
    const hint = label && draw.chance(0.35) ? VIOLATION_CAPTIONS[label.policyKey] : undefined;
    const captions = hint ?? CAPTIONS[language] ?? CAPTIONS.en!;
    // The language is the video's (its speech and on-screen text); captions are often in English anyway.
    return { kind: 'video', url: `https://media.demo.assay.example/v/${id}.mp4`, text: draw.pick(captions), language, ambiguity: null };
  }
  if (workflow.contentKind === 'comment') {
    if (label) {
      const turns = abusePoolFor(label);
      if (turns) {
        const turn = draw.pick(turns);
        return { kind: 'comment', url: null, text: turn.text, language: 'en', ambiguity: turnAmbiguity(turn) };
      }
      const text = COMMENT_TEXT[label.key] ?? [WITHHELD_BY_POLICY[label.policyKey] ?? withheld(`a comment labelled ${label.key}`)];
      return { kind: 'comment', url: null, text: draw.pick(text), language: 'en', ambiguity: null };
    }
    const local = BENIGN_COMMENTS[language];
    if (language !== 'en' && local) return { kind: 'comment', url: null, text: draw.pick(local), language, ambiguity: null };
    const turn = draw.pick(ABUSE_POOLS.clean);
    return { kind: 'comment', url: null, text: turn.text, language: 'en', ambiguity: turnAmbiguity(turn) };
  }
  const generic = language !== 'en' ? TICKETS_GENERIC[language] : undefined;
  if (generic && draw.chance(0.7)) return { kind: 'ticket', url: null, text: draw.pick(generic), language, ambiguity: null };
  const texts = label ? TICKETS[label.key] : TICKETS_NO_VIOLATION[truth.ticketType];
  return { kind: 'ticket', url: null, text: draw.pick(texts ?? TICKETS_NO_VIOLATION.how_to!), language: 'en', ambiguity: null };
}

const CHANNELS = ['in_app', 'in_app', 'in_app', 'email', 'web_form'];

export function drawMetadata(draw: Draw, workflow: WorkflowModel, truth: ItemTruth, region: string): Record<string, unknown> {
  const severe = truth.labels[0] && (truth.labels[0].severity === 'critical' || truth.labels[0].severity === 'high');
  if (workflow.kind === 'support') {
    const queue = truth.positive
      ? truth.policyKey === 'account_integrity' ? 'support.account' : 'support.safety_reports'
      : truth.ticketType === 'appeal_denied' ? 'support.appeals' : 'support.general';
    return { queue, channel: draw.pick(CHANNELS), ticket_type: truth.positive ? 'report' : truth.ticketType, region };
  }
  const prefix = workflow.key === 'video_moderation' ? 'video' : 'comments';
  const classifier = draw.chance(0.35);
  const queue = severe && draw.chance(0.5) ? `${prefix}.priority` : classifier ? `${prefix}.classifier` : `${prefix}.user_reports`;
  const reported = queue !== `${prefix}.classifier`;
  return {
    queue,
    report_reason: reported ? (draw.chance(0.82) ? truth.policyKey : draw.pick(policyTable(workflow).values)) : null,
    region,
    prior_strikes: truth.priorStrikes,
  };
}
