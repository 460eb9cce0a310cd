import { Faker, base, en, en_IN, es_MX, pt_BR, pt_PT, type LocaleDefinition } from '@faker-js/faker';
import { chance, demoRandomizer, demoRng, type Rng } from './demo-random.ts';

/**
 * Believable names and languages by site. Faker's own locales are used where
 * they read right (Portugal, Brazil, India, Mexico); for Ireland, the US, the
 * Philippines, Kenya, Telangana, Colombia and the continental Europeans in
 * Dublin, where faker has no locale or an unconvincing one, curated lists are
 * plugged into faker as custom locale definitions and drawn from with the same
 * seeded API.
 */

export interface GeneratedName {
  /** Given name(s) as used at work, e.g. 'John Paul', 'María José'. */
  given: string;
  /** Surname(s), e.g. 'Dela Cruz', 'Restrepo Ospina'. */
  family: string;
  fullName: string;
  /** Surname used in the e-mail address: the first of two Hispanic surnames. */
  emailFamily: string;
  languages: string[];
}

type Sex = 'female' | 'male';

const SINGLE_SURNAME_PATTERN = { generic: [{ value: '{{person.last_name.generic}}', weight: 1 }] };

/** Put in front of a faker locale whose surnames are double-barrelled (es_MX, en_IN): one surname. */
const SINGLE_SURNAME: LocaleDefinition = { person: { last_name_pattern: SINGLE_SURNAME_PATTERN } };

function person(
  female: string[],
  male: string[],
  last: string[] | { female: string[]; male: string[] },
  middle?: { female: string[]; male: string[] },
): LocaleDefinition {
  const gendered = !Array.isArray(last);
  return {
    person: {
      first_name: { female, male },
      last_name: gendered ? last : { generic: last },
      last_name_pattern: gendered
        ? {
            female: [{ value: '{{person.last_name.female}}', weight: 1 }],
            male: [{ value: '{{person.last_name.male}}', weight: 1 }],
          }
        : SINGLE_SURNAME_PATTERN,
      ...(middle ? { middle_name: middle } : {}),
    },
  };
}

const IRISH = person(
  ['Aoife', 'Ciara', 'Niamh', 'Siobhán', 'Sinéad', 'Róisín', 'Orla', 'Caoimhe', 'Aisling', 'Clodagh', 'Gráinne', 'Sorcha', 'Méabh', 'Emma', 'Sarah', 'Laura', 'Rachel', 'Sophie', 'Katie', 'Chloe', 'Grace', 'Fiona', 'Deirdre', 'Eimear', 'Áine', 'Saoirse', 'Hannah', 'Ellen'],
  ['Cian', 'Conor', 'Seán', 'Darragh', 'Oisín', 'Eoin', 'Cillian', 'Ciarán', 'Pádraig', 'Fionn', 'Rory', 'Niall', 'Colm', 'Declan', 'Dónal', 'Liam', 'Jack', 'James', 'Mark', 'David', 'Shane', 'Brian', 'Kevin', 'Aidan', 'Ronan', 'Tadhg', 'Killian', 'Stephen'],
  ['Murphy', 'Kelly', "O'Sullivan", 'Walsh', "O'Brien", 'Byrne', 'Ryan', "O'Connor", "O'Neill", "O'Reilly", 'Doyle', 'McCarthy', 'Gallagher', 'Kennedy', 'Lynch', 'Murray', 'Quinn', 'Moore', 'McLoughlin', 'Connolly', 'Daly', "O'Connell", 'Dunne', 'Brennan', 'Burke', 'Collins', 'Clarke', 'Hughes', 'Farrell', 'Fitzgerald', 'Maguire', 'Nolan', 'Flynn', "O'Donnell", 'Duffy', 'Boyle', 'Healy', 'Sweeney', 'Hayes', 'Kavanagh', 'Power', 'McGrath', 'Moran', 'Brady', 'Casey', 'Foley', 'Fitzpatrick', 'Donnelly', 'Whelan', 'Keane', 'Maher', 'McKenna', 'Hogan', 'Buckley', 'Kenny', 'Sheehan', 'Cullen', 'Lyons'],
);

const AMERICAN = person(
  ['Jessica', 'Ashley', 'Amanda', 'Megan', 'Lauren', 'Emily', 'Sarah', 'Hannah', 'Taylor', 'Madison', 'Kayla', 'Alyssa', 'Rachel', 'Samantha', 'Morgan', 'Jasmine', 'Brittany', 'Olivia', 'Abigail', 'Courtney', 'Danielle', 'Kimberly', 'Whitney', 'Erin', 'Aaliyah', 'Destiny'],
  ['Michael', 'Christopher', 'Matthew', 'Joshua', 'Daniel', 'David', 'Andrew', 'Tyler', 'Brandon', 'Ryan', 'Justin', 'Kevin', 'Jacob', 'Austin', 'Jordan', 'Marcus', 'Darius', 'Trevor', 'Cody', 'Eric', 'Kyle', 'Derek', 'Jamal', 'Nathan', 'Travis', 'Zachary'],
  ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards', 'Collins', 'Stewart', 'Morris', 'Cook', 'Rogers', 'Cooper', 'Reed', 'Bailey', 'Bell', 'Howard', 'Ward', 'Brooks', 'Bennett', 'Gray', 'Hughes', 'Price', 'Sanders', 'Foster', 'Nguyen', 'Patel', 'Kim', 'Tran'],
);

const FILIPINO = person(
  ['Maria', 'Kristine', 'Jessa', 'Angelica', 'Mary Grace', 'Rowena', 'Jennifer', 'Lovely', 'Princess', 'Joanna', 'Camille', 'Shiela', 'Rhea', 'Jocelyn', 'Kimberly', 'Patricia', 'Charmaine', 'Andrea', 'Nicole', 'Janine', 'Aileen', 'Lorraine', 'Mariel', 'Czarina', 'Rosalie', 'Maricel', 'Analyn', 'Katrina', 'Hazel', 'Bea', 'Krizia', 'Ella Mae'],
  ['John Paul', 'Mark Anthony', 'Jerome', 'Christian', 'Jayson', 'Rommel', 'Rodel', 'Reynaldo', 'Paolo', 'Carlo', 'Miguel', 'Jericho', 'Kenneth', 'Joshua', 'Ramon', 'Arnel', 'Noel', 'Jomar', 'Ariel', 'Jan Carlo', 'Renz', 'Aldrin', 'Dennis', 'Ronald', 'Angelo', 'Marvin', 'Vincent', 'Gilbert', 'Raffy', 'Jhun'],
  ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Torres', 'Tomas', 'Castillo', 'Flores', 'Villanueva', 'Ramos', 'Castro', 'Rivera', 'Aquino', 'Navarro', 'Salazar', 'Mercado', 'Dela Cruz', 'De Guzman', 'De Leon', 'Gonzales', 'Lopez', 'Manalo', 'Pascual', 'Soriano', 'Dizon', 'Aguilar', 'Panganiban', 'Macaraeg', 'Magbanua', 'Dimaculangan', 'Tolentino', 'Villareal', 'Sison', 'Cabrera', 'Padilla', 'Evangelista', 'Alcantara', 'Yap', 'Tan', 'Lim', 'Go', 'Cabahug', 'Abellana', 'Ybañez', 'Alcoseba', 'Cuizon', 'Quijano', 'Gabuya', 'Pepito', 'Tumulak', 'Remollo', 'Labra'],
);

// Kenya: a Christian given name, often followed by a name from the person's own
// community (Kikuyu, Luo, Luhya, Kalenjin, Kamba), then the family name from that
// same community; some people go by the community name alone.
const KENYAN_GIVEN = {
  female: ['Faith', 'Mercy', 'Grace', 'Esther', 'Lucy', 'Caroline', 'Sharon', 'Purity', 'Joy', 'Brenda', 'Winnie', 'Diana', 'Ruth', 'Naomi', 'Cynthia', 'Maureen', 'Irene'],
  male: ['Brian', 'Kevin', 'Dennis', 'Collins', 'Victor', 'Eric', 'Kelvin', 'Ian', 'Felix', 'Samuel', 'Peter', 'Joseph', 'Daniel', 'Emmanuel', 'Allan', 'Stephen', 'Moses', 'Wycliffe', 'Geoffrey'],
};
const kenyan = (female: string[], male: string[], last: string[]): LocaleDefinition =>
  person(KENYAN_GIVEN.female, KENYAN_GIVEN.male, last, { female, male });
const KIKUYU = kenyan(
  ['Wanjiku', 'Njeri', 'Wambui', 'Wairimu', 'Nyambura', 'Wangari', 'Muthoni', 'Njoki'],
  ['Kamau', 'Mwangi', 'Njoroge', 'Kariuki', 'Maina', 'Gitau', 'Njuguna', 'Kimani'],
  ['Kamau', 'Mwangi', 'Njoroge', 'Kariuki', 'Gitau', 'Maina', 'Githinji', 'Muriuki', 'Njenga', 'Mburu', 'Ndungu', 'Kimani', 'Wambugu', 'Kinyanjui', 'Macharia', 'Waweru'],
);
const LUO = kenyan(
  ['Achieng', 'Akinyi', 'Atieno', 'Adhiambo', 'Awino', 'Anyango'],
  ['Otieno', 'Ochieng', 'Omondi', 'Odhiambo', 'Owino', 'Onyango'],
  ['Otieno', 'Ochieng', 'Odhiambo', 'Onyango', 'Omondi', 'Owino', 'Okoth', 'Ouma', 'Oduor', 'Okello', 'Were', 'Odera'],
);
const LUHYA = kenyan(
  ['Nafula', 'Naliaka', 'Nekesa', 'Nanjala', 'Nasimiyu'],
  ['Wafula', 'Wekesa', 'Barasa', 'Simiyu', 'Wanyonyi', 'Makokha'],
  ['Wafula', 'Wekesa', 'Barasa', 'Simiyu', 'Wanyama', 'Makokha', 'Nyongesa', 'Wanyonyi', 'Khaemba', 'Masinde', 'Shikuku'],
);
const KALENJIN = kenyan(
  ['Chebet', 'Jepkoech', 'Jepchirchir', 'Cherono', 'Jeptoo', 'Chepkemoi'],
  ['Kiprono', 'Kipchirchir', 'Kiplagat', 'Kipkemboi', 'Kibet', 'Kiprotich'],
  ['Kiprotich', 'Kirui', 'Kibet', 'Korir', 'Cheruiyot', 'Langat', 'Rotich', 'Koech', 'Kiptoo', 'Chepkwony', 'Tanui', 'Bett'],
);
const KAMBA = kenyan(
  ['Mwende', 'Nduku', 'Mutheu', 'Ndinda', 'Mumbua', 'Kavata'],
  ['Mutua', 'Musyoka', 'Mutuku', 'Kioko', 'Mwendwa', 'Muema'],
  ['Mutua', 'Musyoka', 'Mutiso', 'Kioko', 'Mutuku', 'Nzioka', 'Muthama', 'Mulwa', 'Wambua', 'Kilonzo'],
);
const KENYAN_MUSLIM = person(
  ['Amina', 'Fatuma', 'Halima', 'Zainab', 'Mwanaisha', 'Hawa', 'Khadija'],
  ['Mohamed', 'Hassan', 'Abdi', 'Ali', 'Omar', 'Salim', 'Ibrahim', 'Yusuf'],
  ['Abdi', 'Hassan', 'Mohamed', 'Ali', 'Omar', 'Juma', 'Salim', 'Bakari', 'Mwinyi', 'Noor', 'Farah'],
);

const TELUGU = person(
  ['Lakshmi', 'Divya', 'Sravani', 'Keerthi', 'Swathi', 'Harika', 'Bhavana', 'Sindhu', 'Anusha', 'Pavani', 'Mounika', 'Sahithi', 'Tejaswini', 'Priyanka', 'Sneha', 'Ramya', 'Navya', 'Deepika', 'Manasa', 'Haritha', 'Sowmya', 'Kavya', 'Vaishnavi', 'Sai Priya'],
  ['Srinivas', 'Venkatesh', 'Ravi Teja', 'Sai Kiran', 'Naveen', 'Praveen', 'Suresh', 'Ramesh', 'Harsha', 'Karthik', 'Vamsi', 'Mahesh', 'Rakesh', 'Chaitanya', 'Anil', 'Sandeep', 'Srikanth', 'Kiran', 'Pavan', 'Nikhil', 'Sai Charan', 'Vinay'],
  ['Reddy', 'Rao', 'Naidu', 'Chowdary', 'Varma', 'Raju', 'Goud', 'Yadav', 'Prasad', 'Murthy', 'Sastry', 'Kondapalli', 'Gadde', 'Vemula', 'Bandi', 'Akula', 'Pothula', 'Kotha', 'Nallamothu', 'Peddi', 'Gundu', 'Tummala', 'Kumar'],
);

const HYDERABADI_URDU = person(
  ['Ayesha', 'Fatima', 'Sana', 'Zainab', 'Mehreen', 'Nazia', 'Shabana', 'Rukhsar', 'Heena', 'Farheen', 'Asma', 'Nida'],
  ['Mohammed Imran', 'Syed Ali', 'Faisal', 'Sameer', 'Arif', 'Mohammed Irfan', 'Abdul Rahman', 'Tanveer', 'Salman', 'Khaja', 'Mujtaba', 'Asif'],
  ['Khan', 'Ahmed', 'Hussain', 'Siddiqui', 'Quadri', 'Baig', 'Shaikh', 'Ansari', 'Mohiuddin', 'Farooqui', 'Hashmi', 'Jaffri'],
);

const COLOMBIAN = person(
  ['Valentina', 'Daniela', 'María José', 'Luisa Fernanda', 'Laura', 'Natalia', 'Camila', 'Paula Andrea', 'Juliana', 'Carolina', 'Sara', 'Mariana', 'Angélica', 'Diana Marcela', 'Catalina', 'Ana María', 'Lina', 'Manuela'],
  ['Santiago', 'Juan Camilo', 'Andrés Felipe', 'Sebastián', 'Juan David', 'Carlos', 'Mateo', 'Alejandro', 'Nicolás', 'Julián', 'Diego', 'Daniel', 'Cristian', 'Jorge Iván', 'Felipe', 'Esteban', 'Óscar', 'Luis Fernando'],
  ['Rodríguez', 'Gómez', 'González', 'Martínez', 'García', 'López', 'Hernández', 'Sánchez', 'Ramírez', 'Pérez', 'Díaz', 'Muñoz', 'Rojas', 'Moreno', 'Jiménez', 'Torres', 'Vargas', 'Castro', 'Ortiz', 'Gutiérrez', 'Restrepo', 'Ospina', 'Cárdenas', 'Jaramillo', 'Londoño', 'Zapata', 'Arango', 'Valencia', 'Cardona', 'Quintero', 'Giraldo', 'Suárez', 'Castaño', 'Henao', 'Montoya', 'Mejía', 'Velásquez', 'Ríos', 'Salazar', 'Herrera', 'Parra', 'Correa', 'Bermúdez', 'Patiño'],
);

// Continental Europeans in the Dublin hub (faker's lists for these read dated, and
// its Polish surnames are not inflected for gender).
const GERMAN = person(
  ['Anna', 'Lena', 'Laura', 'Julia', 'Sarah', 'Katharina', 'Lisa', 'Hannah', 'Johanna', 'Marie', 'Carolin', 'Franziska'],
  ['Lukas', 'Jonas', 'Felix', 'Maximilian', 'Tobias', 'Florian', 'Jan', 'Niklas', 'Philipp', 'Moritz', 'Sebastian', 'David'],
  ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schulz', 'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann', 'Braun', 'Zimmermann', 'Krüger', 'Hartmann', 'Lange'],
);
const FRENCH = person(
  ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Sarah', 'Julie', 'Pauline', 'Clara', 'Mathilde', 'Margaux', 'Océane'],
  ['Thomas', 'Lucas', 'Hugo', 'Théo', 'Antoine', 'Maxime', 'Nicolas', 'Julien', 'Alexandre', 'Quentin', 'Romain', 'Mehdi'],
  ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'Roux', 'Fournier', 'Girard', 'Bonnet', 'Benali'],
);
const ITALIAN = person(
  ['Giulia', 'Chiara', 'Francesca', 'Sara', 'Martina', 'Alessia', 'Federica', 'Valentina', 'Elisa', 'Silvia'],
  ['Marco', 'Luca', 'Alessandro', 'Andrea', 'Matteo', 'Lorenzo', 'Davide', 'Simone', 'Federico', 'Giorgio'],
  ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Costa', 'Giordano'],
);
const POLISH = person(
  ['Anna', 'Katarzyna', 'Magdalena', 'Agnieszka', 'Joanna', 'Aleksandra', 'Monika', 'Natalia', 'Karolina', 'Marta', 'Zuzanna', 'Paulina'],
  ['Piotr', 'Tomasz', 'Paweł', 'Michał', 'Krzysztof', 'Jakub', 'Mateusz', 'Marcin', 'Łukasz', 'Bartosz', 'Kamil', 'Adam'],
  {
    female: ['Nowak', 'Kowalska', 'Wiśniewska', 'Wójcik', 'Kowalczyk', 'Kamińska', 'Lewandowska', 'Zielińska', 'Szymańska', 'Woźniak', 'Dąbrowska', 'Kozłowska', 'Mazur', 'Jankowska', 'Krawczyk'],
    male: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowski', 'Mazur', 'Jankowski', 'Krawczyk'],
  },
);

type Style = 'western' | 'hispanic' | 'kenyan';

interface Origin {
  key: string;
  weight: number;
  locale: LocaleDefinition[];
  style: Style;
  languages: (rng: Rng) => string[];
}

const add = (rng: Rng, out: string[], probability: number, tag: string): void => {
  if (chance(rng, probability) && !out.includes(tag)) out.push(tag);
};

const kenyanLanguages = (): string[] => ['sw', 'en'];

/**
 * Name origins and their weights at each site. Language tags are in canonical
 * form, as the org rules store them: Filipino/Tagalog is 'fil' ('tl' canonicalises to it).
 */
const SITE_ORIGINS: Record<string, Origin[]> = {
  dublin: [
    { key: 'irish', weight: 70, locale: [IRISH, en, base], style: 'western', languages: (r) => { const o = ['en']; add(r, o, 0.25, 'ga'); add(r, o, 0.1, 'fr'); return o; } },
    { key: 'german', weight: 8, locale: [GERMAN, en, base], style: 'western', languages: () => ['de', 'en'] },
    { key: 'french', weight: 8, locale: [FRENCH, en, base], style: 'western', languages: () => ['fr', 'en'] },
    { key: 'italian', weight: 5, locale: [ITALIAN, en, base], style: 'western', languages: () => ['it', 'en'] },
    { key: 'polish', weight: 5, locale: [POLISH, en, base], style: 'western', languages: () => ['pl', 'en'] },
    { key: 'brazilian', weight: 4, locale: [pt_BR, en, base], style: 'western', languages: () => ['pt-BR', 'en'] },
  ],
  austin: [
    { key: 'american', weight: 75, locale: [AMERICAN, en, base], style: 'western', languages: (r) => { const o = ['en']; add(r, o, 0.1, 'es'); return o; } },
    { key: 'tejano', weight: 25, locale: [SINGLE_SURNAME, es_MX, en, base], style: 'western', languages: () => ['en', 'es'] },
  ],
  manila: [
    { key: 'filipino', weight: 100, locale: [FILIPINO, en, base], style: 'western', languages: (r) => { const o = ['fil', 'en']; add(r, o, 0.12, 'ceb'); return o; } },
  ],
  cebu: [
    { key: 'filipino', weight: 100, locale: [FILIPINO, en, base], style: 'western', languages: (r) => { const o = ['ceb', 'en']; add(r, o, 0.8, 'fil'); return o; } },
  ],
  hyderabad: [
    { key: 'telugu', weight: 55, locale: [TELUGU, en, base], style: 'western', languages: (r) => { const o = ['te', 'en']; add(r, o, 0.75, 'hi'); return o; } },
    { key: 'hyderabadi', weight: 20, locale: [HYDERABADI_URDU, en, base], style: 'western', languages: (r) => { const o = ['ur', 'en', 'hi']; add(r, o, 0.5, 'te'); return o; } },
    { key: 'indian', weight: 25, locale: [SINGLE_SURNAME, en_IN, en, base], style: 'western', languages: (r) => { const o = ['hi', 'en']; add(r, o, 0.2, 'te'); return o; } },
  ],
  nairobi: [
    { key: 'kikuyu', weight: 30, locale: [KIKUYU, en, base], style: 'kenyan', languages: kenyanLanguages },
    { key: 'luo', weight: 22, locale: [LUO, en, base], style: 'kenyan', languages: kenyanLanguages },
    { key: 'luhya', weight: 18, locale: [LUHYA, en, base], style: 'kenyan', languages: kenyanLanguages },
    { key: 'kalenjin', weight: 13, locale: [KALENJIN, en, base], style: 'kenyan', languages: kenyanLanguages },
    { key: 'kamba', weight: 11, locale: [KAMBA, en, base], style: 'kenyan', languages: kenyanLanguages },
    { key: 'muslim', weight: 6, locale: [KENYAN_MUSLIM, en, base], style: 'western', languages: (r) => { const o = ['sw', 'en']; add(r, o, 0.4, 'so'); return o; } },
  ],
  lisbon: [
    { key: 'portuguese', weight: 72, locale: [pt_PT, en, base], style: 'western', languages: (r) => { const o = ['pt-PT', 'en']; add(r, o, 0.25, 'es'); add(r, o, 0.12, 'fr'); return o; } },
    { key: 'brazilian', weight: 28, locale: [pt_BR, en, base], style: 'western', languages: (r) => { const o = ['pt-BR', 'en']; add(r, o, 0.2, 'es'); return o; } },
  ],
  bogota: [
    { key: 'colombian', weight: 100, locale: [COLOMBIAN, en, base], style: 'hispanic', languages: (r) => { const o = ['es']; add(r, o, 0.85, 'en'); add(r, o, 0.08, 'pt-BR'); return o; } },
  ],
};

export type NameGenerator = () => GeneratedName;

/** A name generator for one site and one population (e.g. 'agents', 'staff'). */
export function siteNames(seed: number, siteKey: string, stream: string): NameGenerator {
  const origins = SITE_ORIGINS[siteKey];
  if (!origins) throw new Error(`No name origins for site ${siteKey}`);
  const rng = demoRng(seed, `names:${siteKey}:${stream}:mix`);
  const fakers = new Map<string, Faker>();
  const fakerFor = (origin: Origin): Faker => {
    let faker = fakers.get(origin.key);
    if (!faker) {
      faker = new Faker({ locale: origin.locale, randomizer: demoRandomizer(seed, `names:${siteKey}:${stream}:${origin.key}`) });
      fakers.set(origin.key, faker);
    }
    return faker;
  };
  const weighted = origins.map((origin) => ({ value: origin, weight: origin.weight }));

  return () => {
    const origin = rng.helpers.weightedArrayElement(weighted);
    const faker = fakerFor(origin);
    const sex: Sex = faker.datatype.boolean() ? 'female' : 'male';
    // Kenyan: a Christian given name (often with a community name after it), or the community name alone.
    const communityOnly = origin.style === 'kenyan' && chance(rng, 0.25);
    const given = communityOnly ? faker.person.middleName(sex) : faker.person.firstName(sex);
    let first = faker.person.lastName(sex);
    for (let retry = 0; retry < 3 && first === given; retry++) first = faker.person.lastName(sex);
    const languages = origin.languages(rng);
    if (origin.style === 'hispanic') {
      let second = faker.person.lastName(sex);
      if (second === first) second = faker.person.lastName(sex);
      const family = `${first} ${second}`;
      return { given, family, fullName: `${given} ${family}`, emailFamily: first, languages };
    }
    if (origin.style === 'kenyan' && !communityOnly && chance(rng, 0.45)) {
      const middle = faker.person.middleName(sex);
      if (middle !== given && middle !== first) {
        return { given, family: first, fullName: `${given} ${middle} ${first}`, emailFamily: first, languages };
      }
    }
    return { given, family: first, fullName: `${given} ${first}`, emailFamily: first, languages };
  };
}

/** 'María José' + 'Ybañez' -> 'mariajose.ybanez' (ASCII, no spaces or apostrophes). */
export function emailLocalPart(given: string, family: string): string {
  const clean = (value: string): string =>
    value
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ł/g, 'l')
      .replace(/Ł/g, 'L')
      .replace(/ß/g, 'ss')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
  return `${clean(given) || 'user'}.${clean(family) || 'person'}`;
}
