/**
 * The GS1 Application Identifiers a GS1 Digital Link URI for a trade item may carry, with their value
 * formats, as the GS1 Digital Link standard's ABNF grammar (1.2+) lists them: the path qualifiers of
 * AI 01, and the data attributes allowed in the query string. Formats use the GS1 General
 * Specifications notation: N = digit, X = a character of set 82, Y = a character of set 39;
 * `N6` is exactly 6, `X..20` is 1 to 20, `N3+X..9` is 3 digits then 1 to 9 characters.
 */

/** GS1 AI encodable character set 82 (GS1 General Specifications figure 7.11-1). */
export const CSET_82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
/** GS1 AI encodable character set 39, for CPID (AI 8010). */
const CSET_39 = '[#\\-/0-9A-Z]';
const CSET_82_CLASS = '[!"%&\'()*+,\\-./0-9:;<=>?A-Z_a-z]';

/** The key qualifiers of a GTIN, in the only order the path may carry them. */
export const GTIN_QUALIFIERS = ['22', '10', '21'] as const;
export type GtinQualifier = (typeof GTIN_QUALIFIERS)[number];

export const AI_GTIN = '01';
export const AI_CPV = '22';
export const AI_LOT = '10';
export const AI_SERIAL = '21';
export const AI_EXPIRY = '17';

/** Longest value of each GTIN qualifier (all X..20). */
export const QUALIFIER_MAX_LENGTH = 20;

/** Data attributes and other keys the grammar admits in the query string of any Digital Link. */
const ATTRIBUTE_FORMATS: Readonly<Record<string, string>> = {
  // dates YYMMDD, and date-times
  '11': 'N6', '12': 'N6', '13': 'N6', '15': 'N6', '16': 'N6', '17': 'N6',
  '7006': 'N6', '7007': 'N6+N6?', '7003': 'N10', '4324': 'N10', '4325': 'N10', '4326': 'N6',
  '8008': 'N8+N2?+N2?',
  // trade item and logistics attributes
  '02': 'N14', '10': 'X..20', '20': 'N2', '30': 'N..8', '37': 'N..8', '8005': 'N6',
  '240': 'X..30', '241': 'X..30', '242': 'N..6', '243': 'X..20', '250': 'X..30', '251': 'X..30',
  '400': 'X..30', '403': 'X..30', '410': 'N13', '411': 'N13', '412': 'N13', '413': 'N13', '416': 'N13',
  '420': 'X..20', '421': 'N3+X..9', '422': 'N3', '423': 'N3+N..12', '424': 'N3', '425': 'N3+N..12',
  '426': 'N3', '427': 'X..3',
  '710': 'X..20', '711': 'X..20', '712': 'X..20', '713': 'X..20', '714': 'X..20', '715': 'X..20',
  '7001': 'N13', '7002': 'X..30', '7004': 'N..4', '7005': 'X..12', '7008': 'X..3', '7009': 'X..10',
  '7010': 'X..2', '7020': 'X..20', '7021': 'X..20', '7022': 'X..20', '7023': 'X..30',
  '8001': 'N14', '8002': 'X..20', '8007': 'X..34', '8009': 'X..50', '8012': 'X..20', '8020': 'X..25',
  '8026': 'N18', '8110': 'X..70', '8111': 'N4', '8112': 'X..70', '90': 'X..30',
  '4300': 'X..35', '4301': 'X..35', '4302': 'X..70', '4303': 'X..70', '4304': 'X..70', '4305': 'X..70',
  '4306': 'X..70', '4307': 'X2', '4308': 'X..30', '4310': 'X..35', '4311': 'X..35', '4312': 'X..70',
  '4313': 'X..70', '4314': 'X..70', '4315': 'X..70', '4316': 'X..70', '4317': 'X2', '4318': 'X..20',
  '4319': 'X..30', '4320': 'X..35', '4321': 'B', '4322': 'B', '4323': 'B',
  // other primary keys, which the grammar admits as attributes of a GTIN link
  '00': 'N18', '253': 'N13+X..17', '255': 'N13+N..12', '401': 'X..30', '402': 'N17', '414': 'N13',
  '415': 'N13', '417': 'N13', '8003': 'N14+X..16', '8004': 'X..30', '8006': 'N18', '8010': 'Y..30',
  '8013': 'X..25', '8017': 'N18', '8018': 'N18',
};

/** AI families given by pattern rather than one by one (the last digit is a decimal point position). */
const ATTRIBUTE_FAMILIES: readonly (readonly [RegExp, string])[] = [
  [/^3(1[0-6]|2\d|3[0-7]|4\d|5[0-7]|6\d)[0-5]$/, 'N6'], // measures: weights, lengths, areas, volumes
  [/^395[0-3]$/, 'N6'], // amount payable per unit
  [/^39[02][0-5]$/, 'N..15'], // amount payable, price
  [/^39[13][0-5]$/, 'N3+N..15'], // the same with an ISO 4217 currency
  [/^394[0-5]$/, 'N4'], // percentage discount
  [/^703\d$/, 'N3+X..27'], // processor with ISO country code
  [/^723\d$/, 'X2+X..28'], // certification reference
  [/^9[1-9]$/, 'X..90'], // company internal
];

const compiledFormats = new Map<string, RegExp>();

/** The value format of a data attribute AI, or undefined when the AI is no data attribute. */
export function attributeFormat(ai: string): string | undefined {
  return ATTRIBUTE_FORMATS[ai] ?? ATTRIBUTE_FAMILIES.find(([pattern]) => pattern.test(ai))?.[1];
}

/** Whether a decoded value matches a format such as `N6`, `X..20`, `N3+X..9`, `N8+N2?` or `B` (0 or 1). */
export function matchesFormat(value: string, format: string): boolean {
  let pattern = compiledFormats.get(format);
  if (!pattern) {
    pattern = new RegExp(`^${format.split('+').map(formatComponent).join('')}$`);
    compiledFormats.set(format, pattern);
  }
  return pattern.test(value);
}

function formatComponent(component: string): string {
  if (component === 'B') return '[01]';
  const parsed = /^([NXY])(\.\.)?(\d+)(\?)?$/.exec(component);
  if (!parsed) throw new Error(`unknown AI format component ${component}`);
  const [, kind, variable, length, optional] = parsed;
  const characterClass = kind === 'N' ? '\\d' : kind === 'X' ? CSET_82_CLASS : CSET_39;
  const repeated = `${characterClass}{${variable ? '1,' : ''}${length}}`;
  return optional ? `(?:${repeated})?` : repeated;
}
