import { demoUuid, midnightUtc } from './demo-random.ts';
import type { DemoPolicy, DemoPolicyLabel, DemoSeverity } from './demo-types.ts';

/**
 * The policy taxonomy of the demo platform (a short-video app with comments).
 * Every policy has a v1 in force for over a year; five were revised in the last
 * 90 days, which later stories use ("policy changed -> refresher training",
 * "error spike after a policy change").
 */

/** v1 of every policy took effect this many days before `today`. */
export const V1_DAYS_AGO = 400;

interface VersionSpec {
  daysAgo: number;
  summary: string;
  labels: DemoPolicyLabel[];
  allowedActions: string[];
}

interface PolicySpec {
  key: string;
  name: string;
  description: string;
  versions: VersionSpec[];
}

function l(key: string, name: string, severity: DemoSeverity, description: string): DemoPolicyLabel {
  return { key, name, severity, description };
}

const ENFORCE = ['no_action', 'remove', 'warn_user', 'suspend_account', 'ban_account', 'escalate_policy'];
const SUPPORT = ['reply_macro', 'escalate_tier2', 'close_no_action'];

// --- Hate speech ------------------------------------------------------------
const hateLabels = [
  l('hate.slur', 'Slur', 'high', 'A slur used to refer to a protected group, or to a person as a member of it, outside a reclaimed, condemning or educational context.'),
  l('hate.dehumanisation', 'Dehumanisation', 'high', 'Comparing a protected group to animals, insects, filth, disease or criminals as a class, or denying their humanity.'),
  l('hate.inferiority', 'Inferiority or contempt', 'medium', 'Claims of inherent intellectual, moral or physical inferiority, or expressions of contempt or disgust aimed at a protected group.'),
  l('hate.exclusion', 'Calls for exclusion', 'medium', 'Calls to exclude, segregate, expel or deny rights or services to a protected group.'),
];
const hateV1 = `We remove content that attacks people on the basis of a protected characteristic: race, ethnicity, national origin, caste, religion, sexual orientation, sex, gender identity, disability or serious disease, and immigration status. A violation needs both a protected target and an attack: a slur, a dehumanising comparison, a claim of inherent inferiority, or a call for exclusion. Criticism of governments, institutions or religions as belief systems is not hate speech, and neither is a joke that does not attack the group. Quoting or showing hate speech to condemn it, report on it or educate is allowed. A member of the targeted group using a reclaimed slur about themselves or their community is allowed when the context makes that clear. When the intent cannot be determined, treat it as a violation.`;

// --- Self-harm ----------------------------------------------------------------
const selfHarmLabels = [
  l('self_harm.promotion', 'Promotion or instructions', 'high', 'Encouraging suicide or self-harm, sharing methods, self-harm "challenges", or graphic images of fresh wounds.'),
  l('self_harm.imminent_risk', 'Imminent risk to life', 'critical', 'A stated plan, time or means, a goodbye message, or an attempt in progress (including on live).'),
  l('self_harm.ideation', 'Personal ideation', 'medium', 'A person talking about their own suicidal thoughts or self-harm without promoting it to others.'),
  l('self_harm.recovery_context', 'Recovery or awareness context', 'low', 'Recovery stories and awareness content that do not describe methods; allowed, with resources.'),
];
const selfHarmV1 = `We remove content that promotes, encourages or gives instructions for suicide or self-harm, including methods, self-harm "challenges" and graphic images of fresh wounds. People talking about their own suicidal thoughts are not violating: leave the content up, reduce its reach and send support resources. When a post shows imminent risk (a stated plan, time or means, a goodbye message, an attempt in progress on live) escalate to the emergency response team at once. Recovery stories and awareness content are allowed, including healed scars, as long as they do not describe methods. Jokes and hyperbole ("this exam is killing me") are not a violation.`;

// --- Regulated goods --------------------------------------------------------------
const regulatedLabels = [
  l('regulated.drug_sale', 'Drug sale or trade', 'high', 'Buying, selling or trading illegal drugs or prescription medication without a prescription, including menus, prices and dealer contacts.'),
  l('regulated.weapon_sale', 'Weapon sale or trade', 'high', 'Buying, selling or trading firearms, ammunition, firearm parts or explosives between users.'),
  l('regulated.drug_use', 'Drug use depiction', 'low', 'Showing or discussing recreational drug use with no sale; age-restricted and kept out of recommendations.'),
  l('regulated.alcohol_tobacco', 'Alcohol, tobacco & vaping promotion', 'low', 'Promotion of alcohol, tobacco or vaping products without branded-content disclosure, or aimed at minors.'),
];
const regulatedV1 = `We remove attempts to buy, sell or trade illegal drugs, prescription medication without a prescription, firearms, ammunition and firearm parts, including "DM me" offers, price lists and contact details for dealers. Showing or discussing drug use without a sale is age-restricted and kept out of recommendations, not removed. Harm-reduction information (naloxone, drug checking, safer-use guidance) is allowed. Alcohol, tobacco and vaping promotion is allowed only as disclosed branded content from licensed sellers, and is age-restricted. Hunting, sport shooting and weapon reviews are not violations unless they include a sale or instructions to modify a weapon illegally.`;

// --- Misinformation ----------------------------------------------------------------
const misinfoLabels = [
  l('misinfo.health', 'Harmful health misinformation', 'high', 'False cures, advice to stop prescribed treatment, or false claims about vaccine safety that could lead someone to harm.'),
  l('misinfo.civic_process', 'Civic process misinformation', 'high', 'False claims about how, when or where to vote or register, or claims designed to discourage participation.'),
  l('misinfo.manipulated_media', 'Manipulated media', 'medium', 'Media edited to make someone appear to say or do something they did not, in a way an average viewer would not notice.'),
  l('misinfo.crisis_unverified', 'Unverified crisis claim', 'low', 'Unverified claims during a breaking crisis; labelled and excluded from recommendations until verified.'),
];
const misinfoV1 = `We act on verifiably false claims that risk real-world harm, as assessed against authoritative sources or our fact-checking partners, not on opinions, predictions or satire. Health misinformation that could lead someone to harm themselves, such as false cures, advice to stop prescribed treatment or false claims about vaccine safety, is removed. False claims about how, when or where to vote or register, and claims designed to discourage voting, are removed. Unverified claims during a breaking crisis are labelled and excluded from recommendations until verified. Media manipulated so that someone appears to say or do something they did not, in a way an average viewer would not notice, is labelled, and removed if it could cause harm. Satire and parody that a reasonable viewer would recognise as such are not violations.`;

// --- Privacy -----------------------------------------------------------------------------
const privacyLabels = [
  l('privacy.doxxing', 'Doxxing', 'high', "Publishing someone's home address, private phone or email, identity documents, financial or medical records without consent."),
  l('privacy.threat_to_expose', 'Threat to expose', 'high', 'Threatening to publish private information or private images of someone ("I know where you live").'),
  l('privacy.covert_recording', 'Covert recording', 'high', "Content filmed in a private space (home, changing room, bathroom) without the subject's knowledge."),
  l('privacy.own_information', 'Self-disclosed sensitive data', 'low', 'A user posting their own ID card, bank card or password; removed for their protection, no strike.'),
];
const privacyV1 = `We remove content that shares someone's private information without their consent: home address, private phone number or email, identity documents, financial or medical records, and login credentials. Threatening to publish such information is also a violation. Information the person made public in a professional capacity, such as a business address or an official's office phone number, is not private. Users who post their own sensitive data, such as an ID card or bank card, have it removed for their protection without a strike. Content filmed in a private space without the subject's knowledge is removed.`;

const SPECS: PolicySpec[] = [
  {
    key: 'hate_speech',
    name: 'Hate speech',
    description: 'Attacks on people based on protected characteristics, including slurs, dehumanisation, inferiority claims and calls for exclusion.',
    versions: [
      { daysAgo: V1_DAYS_AGO, summary: hateV1, labels: hateLabels, allowedActions: [...ENFORCE, 'limit_reach'] },
      {
        daysAgo: 40,
        summary: `${hateV1} Changed in v2: coded hate (numeric codes, emoji combinations, deliberately misspelled slurs and known dog whistles) now has its own label and is actioned like the explicit form; the policy team keeps the list of current codes. Counter-speech that quotes hate must now make the condemnation explicit: a bare repost with a neutral caption is a violation.`,
        labels: [
          ...hateLabels,
          l('hate.coded_language', 'Coded hate / dog whistles', 'medium', 'Codes, numbers, emoji combinations, misspellings or symbols standing in for slurs or hateful ideology, used to attack a protected group.'),
        ],
        allowedActions: [...ENFORCE, 'limit_reach'],
      },
    ],
  },
  {
    key: 'harassment',
    name: 'Harassment & bullying',
    description: 'Targeted abuse, sexual harassment, threats and humiliation of identifiable people, including coordinated harassment.',
    versions: [
      {
        daysAgo: V1_DAYS_AGO,
        summary: `We remove content that targets an identifiable private person with abuse, degradation, unwanted sexual attention or threats. Public figures get less protection for criticism of their public conduct, but never for threats, sexual harassment or attacks on their family. A credible threat of violence (a specific target plus intent, means, time or place) is critical: remove, ban and escalate for a law-enforcement referral. Mutual banter between people who are clearly friends, and a user describing harassment they received, are not violations. Calls for others to target a person ("everyone go to her comments") are actioned even when each message is mild. Bullying of a minor is always at least high severity.`,
        labels: [
          l('harassment.insult', 'Targeted insult or degradation', 'medium', 'Insults, mockery or degrading content aimed at an identifiable private person.'),
          l('harassment.sexual', 'Sexual harassment', 'high', 'Unwanted sexual comments, advances or sexualised content about an identifiable person.'),
          l('harassment.brigading', 'Brigading', 'medium', 'Calling on or coordinating others to target a person with comments, reports or messages.'),
          l('harassment.minor_target', 'Bullying of a minor', 'high', 'Insults, humiliation or exposure aimed at someone who is, or appears to be, under 18.'),
          l('harassment.credible_threat', 'Credible threat of violence', 'critical', 'A threat naming a target with intent, means, time or place; escalate for a law-enforcement referral.'),
        ],
        allowedActions: [...ENFORCE, 'limit_reach', 'escalate_law_enforcement', ...SUPPORT],
      },
    ],
  },
  {
    key: 'child_safety',
    name: 'Child safety',
    description: 'Child sexual abuse material (CSAM), grooming, sexualisation and endangerment of minors. Zero tolerance and mandatory reporting.',
    versions: [
      {
        daysAgo: V1_DAYS_AGO,
        summary: `Any sexualised depiction of someone who is, or appears to be, under 18 is child sexual abuse material, whether photographed, drawn or AI-generated: remove, ban the account and escalate for an NCMEC report, and never download, screenshot or share the media. Grooming, an adult seeking sexual contact, images or off-platform contact with a minor, is equally critical even when no explicit content is exchanged. Sexualised comments under an ordinary video of a child are a violation by the commenter; the video itself is not. When age is uncertain and there are indicators of a minor (physical development, school setting, a stated age), treat the person as a minor. Ordinary family content, such as children playing or at the beach in swimwear, is allowed; non-sexual child nudity is removed to protect the child but is not reported. Dangerous stunts and challenges performed by or on children are removed as endangerment.`,
        labels: [
          l('child_safety.csam', 'Child sexual abuse material', 'critical', 'Any sexualised depiction of a minor, real, drawn or AI-generated. Remove, ban, report to NCMEC.'),
          l('child_safety.grooming', 'Grooming or sexual solicitation of a minor', 'critical', 'An adult seeking sexual content, contact or off-platform communication with a minor.'),
          l('child_safety.sexualisation', 'Sexualisation of a minor', 'high', 'Sexualised comments, emojis or focus on a minor without explicit content.'),
          l('child_safety.endangerment', 'Child endangerment', 'high', 'Dangerous acts, stunts or challenges performed by or on a child.'),
          l('child_safety.nonsexual_nudity', 'Non-sexual child nudity', 'medium', 'Nudity of a child in a non-sexual family context: removed for the child\'s protection, no report.'),
        ],
        allowedActions: ['no_action', 'remove', 'warn_user', 'suspend_account', 'ban_account', 'escalate_ncmec', 'escalate_law_enforcement', 'escalate_policy'],
      },
    ],
  },
  {
    key: 'violent_graphic',
    name: 'Violent & graphic content',
    description: 'Gore, severe injury and death, real-world violence and animal cruelty shared to shock or glorify.',
    versions: [
      {
        daysAgo: V1_DAYS_AGO,
        summary: `We remove real depictions of severe injury, dismemberment or death shared to shock, mock or glorify the victim. The same footage shared with news, documentary, awareness or human-rights context stays up behind a warning screen and is age-restricted. Fictional violence (films, games, special-effects make-up) is not a violation. Fights and assaults without severe injury are reduced in distribution, unless they celebrate the violence or show a minor victim, in which case they are removed. Animal cruelty, including staged "rescue" videos that put the animal in danger for views, is removed; legal hunting, fishing and food preparation are not violations. If an upload or livestream suggests an attack in progress or a person in danger, escalate immediately.`,
        labels: [
          l('violent_graphic.gore', 'Graphic injury or death', 'high', 'Real depictions of severe injury, dismemberment or death without news or awareness context.'),
          l('violent_graphic.animal_cruelty', 'Animal cruelty', 'high', 'Torture or deliberate harm of animals, including staged rescues.'),
          l('violent_graphic.real_world_violence', 'Fights and assaults', 'medium', 'Real fights and assaults without severe injury; removed if glorified or the victim is a minor.'),
          l('violent_graphic.newsworthy', 'Newsworthy graphic content', 'low', 'Graphic footage with news, documentary or human-rights context: warning screen and age restriction.'),
        ],
        allowedActions: [...ENFORCE, 'label', 'age_restrict', 'limit_reach', 'escalate_law_enforcement'],
      },
    ],
  },
  {
    key: 'violent_extremism',
    name: 'Violent extremism & terrorism',
    description: 'Designated violent extremist organisations and attackers: praise and support, propaganda, attack footage, recruitment and funding.',
    versions: [
      {
        daysAgo: V1_DAYS_AGO,
        summary: `We remove praise, support and representation of designated violent extremist organisations and perpetrators of violent attacks, including their symbols and propaganda shared approvingly. Perpetrator-filmed attack footage and attacker manifestos are critical: remove every copy, clips and edits included, and flag the media for the hash-sharing database. Recruitment, fundraising and instructions for attacks are equally critical. News reporting, academic discussion and counter-extremism content that shows symbols or excerpts without endorsing them is allowed; a neutral repost with no context is treated as support. Historical footage, such as Second World War archive material, is not a violation unless it glorifies the atrocities. Content revealing a planned attack is escalated to law enforcement at once.`,
        labels: [
          l('extremism.praise_support', 'Praise or support', 'high', 'Praising, supporting or representing a designated organisation or attacker.'),
          l('extremism.symbols_propaganda', 'Symbols or propaganda', 'medium', 'Flags, logos, songs or official propaganda of a designated organisation, shared without critical context.'),
          l('extremism.attack_footage', 'Attack footage or manifesto', 'critical', 'Perpetrator-filmed attack footage or an attacker manifesto, in any form or edit.'),
          l('extremism.recruitment', 'Recruitment, funding or instructions', 'critical', 'Recruiting for, funding, or instructing others in violent extremist activity.'),
        ],
        allowedActions: [...ENFORCE, 'label', 'limit_reach', 'escalate_law_enforcement'],
      },
    ],
  },
  {
    key: 'self_harm',
    name: 'Suicide & self-harm',
    description: 'Promotion, instructions and depiction of suicide, self-harm and eating disorders, and how to respond to people at risk.',
    versions: [
      {
        daysAgo: V1_DAYS_AGO,
        summary: selfHarmV1,
        labels: selfHarmLabels,
        allowedActions: [...ENFORCE, 'limit_reach', 'send_resources', 'escalate_law_enforcement'],
      },
      {
        daysAgo: 55,
        summary: `${selfHarmV1} Changed in v2: promotion of eating disorders ("pro-ana" coaching, extreme restriction or purging tips, "thinspiration" trends) is now covered here with its own label: remove and send resources. Recovery content showing healed scars now goes behind a warning screen instead of being left up unlabelled.`,
        labels: [
          ...selfHarmLabels,
          l('self_harm.eating_disorder', 'Eating-disorder promotion', 'high', 'Content promoting disordered eating: "pro-ana" coaching, extreme restriction or purging tips, "thinspiration".'),
        ],
        allowedActions: [...ENFORCE, 'label', 'limit_reach', 'send_resources', 'escalate_law_enforcement'],
      },
    ],
  },
  {
    key: 'adult_nudity',
    name: 'Adult nudity & sexual activity',
    description: 'Sexual activity, nudity, sexual solicitation and non-consensual intimate imagery involving adults.',
    versions: [
      {
        daysAgo: V1_DAYS_AGO,
        summary: `We remove sexual activity and explicit nudity involving adults, whether real or realistic digital. Sexually suggestive content without nudity, such as lingerie or a suggestive dance, stays up but is age-restricted and kept out of recommendations. Nudity in breastfeeding, childbirth, medical or health education, protest and fine art is allowed. Offering or requesting sexual services, including links to paid adult content, is removed as solicitation. Intimate images shared without the person's consent, including "deepfake" nudes, are critical: remove, ban and block re-uploads. If anyone in sexual content could be a minor, apply the child safety policy instead.`,
        labels: [
          l('adult.explicit_activity', 'Sexual activity', 'high', 'Real or realistic depictions of sexual activity between adults.'),
          l('adult.nudity', 'Adult nudity', 'medium', 'Visible genitals, fully nude buttocks or female nipples outside an allowed context.'),
          l('adult.suggestive', 'Sexually suggestive', 'low', 'Suggestive content without nudity: age-restricted and kept out of recommendations.'),
          l('adult.solicitation', 'Sexual solicitation', 'high', 'Offering or requesting sexual services, or linking to paid adult content.'),
          l('adult.ncii', 'Non-consensual intimate imagery', 'critical', 'Intimate images shared without consent, including synthetic "deepfake" nudes.'),
        ],
        allowedActions: [...ENFORCE, 'age_restrict', 'limit_reach'],
      },
    ],
  },
  {
    key: 'regulated_goods',
    name: 'Regulated goods & services',
    description: 'Sale, trade and promotion of drugs, weapons and other regulated goods.',
    versions: [
      { daysAgo: V1_DAYS_AGO, summary: regulatedV1, labels: regulatedLabels, allowedActions: [...ENFORCE, 'age_restrict', 'limit_reach'] },
      {
        daysAgo: 70,
        summary: `${regulatedV1} Changed in v2: files and instructions for making firearms (3D-printed guns, "ghost gun" kits), converting weapons to automatic fire or building explosives now have their own label and are removed even when nothing is sold. Sales of kratom and hemp-derived THC products are now treated as drug sales.`,
        labels: [
          ...regulatedLabels,
          l('regulated.weapon_manufacture', 'Weapon manufacturing instructions', 'high', '3D-printed firearm files, ghost-gun kits, auto-sear conversions and home-made explosives.'),
        ],
        allowedActions: [...ENFORCE, 'age_restrict', 'limit_reach'],
      },
    ],
  },
  {
    key: 'spam_scams',
    name: 'Spam, scams & fraud',
    description: 'Commercial spam, fake engagement, scams and phishing, and support for the people they target.',
    versions: [
      {
        daysAgo: V1_DAYS_AGO,
        summary: `We remove content and accounts that deceive people for money or personal data: investment and crypto "doubling" schemes, fake giveaways, romance and recovery scams, counterfeit goods and links to phishing pages. Commercial spam, repetitive unsolicited promotion often pasted across many comments, is removed and the account's reach limited; a single self-promotional comment on a relevant video is not spam. Buying or selling likes, followers or views is a violation even when the product promoted is legitimate. In support, a user who reports being scammed gets the scam-victim macro and the reported account is sent for review; unauthorised in-app charges are refunded within policy limits. Accounts that were compromised and then used for spam are escalated for recovery, not banned.`,
        labels: [
          l('spam.commercial', 'Commercial spam', 'low', 'Repetitive, unsolicited promotion, often pasted across many comments or videos.'),
          l('spam.fake_engagement', 'Fake engagement', 'medium', 'Buying, selling or coordinating likes, follows, views or comments.'),
          l('spam.scam', 'Scam or fraud', 'high', 'Investment, giveaway, romance or recovery scams and counterfeit goods.'),
          l('spam.phishing', 'Phishing or malware', 'high', 'Links or messages that harvest credentials or payment details, or install malware.'),
        ],
        allowedActions: [...ENFORCE, 'limit_reach', 'refund', ...SUPPORT],
      },
    ],
  },
  {
    key: 'misinformation',
    name: 'Harmful misinformation',
    description: 'False or misleading claims that can cause real-world harm: health, civic processes, crises and manipulated media.',
    versions: [
      { daysAgo: V1_DAYS_AGO, summary: misinfoV1, labels: misinfoLabels, allowedActions: [...ENFORCE, 'label', 'limit_reach'] },
      {
        daysAgo: 33,
        summary: `${misinfoV1} Changed in v2, ahead of the national elections: realistic AI-generated video or audio of real people or events must carry the AI label, and undisclosed synthetic media now has its own label. Manipulated media moved from medium to high severity.`,
        labels: [
          ...misinfoLabels.map((label) => (label.key === 'misinfo.manipulated_media' ? { ...label, severity: 'high' as const } : label)),
          l('misinfo.undisclosed_ai', 'Undisclosed AI-generated media', 'medium', 'Realistic synthetic video or audio of real people or events posted without the AI-generated label.'),
        ],
        allowedActions: [...ENFORCE, 'label', 'limit_reach'],
      },
    ],
  },
  {
    key: 'impersonation',
    name: 'Impersonation',
    description: 'Accounts and content that pose as another person, brand or organisation in a misleading way.',
    versions: [
      {
        daysAgo: V1_DAYS_AGO,
        summary: `We remove accounts that pose as another person, brand or organisation in a way that could mislead people, for example copying a creator's name and photo to ask fans for money. Parody, commentary and fan accounts are allowed when the name or bio makes their nature clear ("parody", "fan account"); when the disclosure is missing we ask the owner to add it before acting further. Impersonating a private individual is more serious than impersonating a public figure, because the victim has fewer ways to respond. Only the person impersonated or their authorised representative can report through support, and their identity is verified before action. Sharing a name, or using a similar username, is not impersonation by itself.`,
        labels: [
          l('impersonation.private_person', 'Impersonation of a private person', 'high', 'An account posing as a private individual, often to harass or defraud their contacts.'),
          l('impersonation.public_figure', 'Impersonation of a public figure', 'medium', 'An account posing as a creator, celebrity or official without disclosure.'),
          l('impersonation.brand', 'Impersonation of a brand or organisation', 'medium', 'An account posing as a company, charity or public body.'),
          l('impersonation.undisclosed_parody', 'Undisclosed parody or fan account', 'low', 'A parody or fan account missing the disclosure in its name or bio.'),
        ],
        allowedActions: [...ENFORCE, 'reinstate_account', ...SUPPORT],
      },
    ],
  },
  {
    key: 'privacy',
    name: 'Privacy & doxxing',
    description: "Sharing other people's private information, location or images without their consent.",
    versions: [
      { daysAgo: V1_DAYS_AGO, summary: privacyV1, labels: privacyLabels, allowedActions: [...ENFORCE, ...SUPPORT] },
      {
        daysAgo: 21,
        summary: `${privacyV1} Changed in v2: sharing or soliciting another person's real-time or routine location (where they are now, their commute, their child's school) now has its own label. Clarified that blurring a face while showing a house number or street sign is still doxxing.`,
        labels: [
          ...privacyLabels,
          l('privacy.live_location', 'Real-time location', 'high', "Sharing or soliciting another person's real-time or routine location without consent."),
        ],
        allowedActions: [...ENFORCE, 'escalate_law_enforcement', ...SUPPORT],
      },
    ],
  },
  {
    key: 'account_integrity',
    name: 'Account integrity & appeals',
    description: 'Account-level cases handled by support: compromised, fake and underage accounts, ban evasion, and appeals of enforcement decisions.',
    versions: [
      {
        daysAgo: V1_DAYS_AGO,
        summary: `Verify account ownership (email or phone code, device history) before discussing or changing an account, and disclose nothing to the requester until then. Compromised accounts are secured and handed to Tier 2 for recovery; purchases made by the attacker are refunded. A new account created to get around a suspension or ban is ban evasion and is banned, but the matching signals must be documented: a similar name alone is not enough. Accounts that appear to belong to someone under 13 are suspended pending age verification, not banned outright. On appeal, re-review the original decision against the policy version in force when it was made: restore the content or reinstate the account only if the decision was wrong, otherwise close with the appeal-denied macro.`,
        labels: [
          l('account.compromised', 'Compromised account', 'high', 'Account taken over by someone other than its owner.'),
          l('account.ban_evasion', 'Ban evasion', 'high', 'A new or dormant account used to get around a suspension or ban, with matching signals documented.'),
          l('account.underage_user', 'Underage user', 'high', 'An account that appears to belong to someone under 13.'),
          l('account.fake_account', 'Fake or inauthentic account', 'medium', 'An account that misrepresents who runs it, or one of a network operated together.'),
        ],
        allowedActions: ['no_action', 'suspend_account', 'ban_account', 'refund', 'restore_content', 'reinstate_account', ...SUPPORT],
      },
    ],
  },
];

export function buildPolicies(seed: number, today: string): DemoPolicy[] {
  return SPECS.map((spec) => ({
    id: demoUuid(seed, `policy:${spec.key}`),
    key: spec.key,
    name: spec.name,
    description: spec.description,
    versions: spec.versions.map((version, index) => ({
      id: demoUuid(seed, `policy_version:${spec.key}:v${index + 1}`),
      version: index + 1,
      effectiveFrom: midnightUtc(today, version.daysAgo),
      summary: version.summary,
      labels: version.labels.map((label) => ({ ...label })),
      allowedActions: [...new Set(version.allowedActions)],
    })),
  }));
}
