/**
 * The profile's fields, as data: the program's camelCase name, Kaleyra's snake_case JSON key,
 * and the limits Kaleyra (and Meta behind it) enforce. Every other module — the rules
 * (rules.ts), the request body, the emulator — reads these tables rather than repeating them.
 *
 * Sources: Kaleyra's "Update a WhatsApp Number Details" (`PUT /v1/<sid>/whatsapp/number`) and
 * Meta's business-profile limits; docs/whatsapp-number-profile.md states each rule and the choices
 * made where the two disagree.
 */

/** Kaleyra's JSON key for the number being updated. Mandatory in every request (E413). */
export const WA_NUMBER_KEY = "wa_number";

/**
 * The 17 business categories Kaleyra accepts, in Kaleyra's spelling. Kaleyra matches them
 * exactly but case-insensitively.
 */
export const BUSINESS_CATEGORIES = [
    "Automotive",
    "Beauty, Spa, and Salon",
    "Clothing and Apparel",
    "Education",
    "Entertainment",
    "Event Planning and Service",
    "Finance and Banking",
    "Food and Grocery",
    "Public Service",
    "Hotel and Lodging",
    "Medical and Health",
    "Non-profit",
    "Professional Services",
    "Shopping and Retail",
    "Travel and Transportation",
    "Restaurant",
    "Other",
] as const;

/** One of Kaleyra's business categories, in its canonical spelling. */
export type BusinessCategory = (typeof BUSINESS_CATEGORIES)[number];

/** ASCII-only lower case: "İ" or the Kelvin sign stay as they are (Kaleyra's match is ASCII). */
function asciiLower(value: string): string {
    return value.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

const CATEGORY_BY_LOWER: ReadonlyMap<string, BusinessCategory> = new Map(
    BUSINESS_CATEGORIES.map((c) => [asciiLower(c), c] as const),
);

/**
 * Kaleyra's match of a business category: exactly one of the 17, ignoring ASCII case (no
 * trimming, no alternative spellings such as Meta's "Beauty, Spa and Salon").
 * @returns the canonical spelling, or `undefined` when `value` is not one of the 17.
 */
export function matchBusinessCategory(value: string): BusinessCategory | undefined {
    return CATEGORY_BY_LOWER.get(asciiLower(value));
}

/** The longest category's length: the most a valid `business_category` can be. */
export const LONGEST_CATEGORY = Math.max(...BUSINESS_CATEGORIES.map((c) => c.length));

/** How a field's value is validated. */
export type FieldKind = "text" | "url" | "email" | "category";

/** The rules for one editable profile field. */
export interface FieldSpec {
    /** The resource property name in a Pulumi program (camelCase). */
    readonly name: ProfileFieldName;
    /** Kaleyra's JSON key in the request body (snake_case). */
    readonly key: ProfileFieldKey;
    /** How the value is validated. */
    readonly kind: FieldKind;
    /** Fewest characters (Unicode code points) allowed (the syntax rules may need more). */
    readonly min: number;
    /** Most characters (Unicode code points) allowed. */
    readonly max: number;
    /** A one-line description, used in docs and error messages. */
    readonly description: string;
}

/** The editable fields, by program name. Order is the contract's request order. */
export const PROFILE_FIELDS = {
    address: { name: "address", key: "address", kind: "text", min: 1, max: 256, description: "the business's postal address" },
    incomingUrl: { name: "incomingUrl", key: "incoming_url", kind: "url", min: 1, max: 256, description: "the webhook URL where Kaleyra delivers incoming messages" },
    displayImage: { name: "displayImage", key: "display_image", kind: "url", min: 1, max: 256, description: "the URL of the profile picture (JPEG or PNG, at most 5 MB, 640×640 recommended)" },
    businessDescription: { name: "businessDescription", key: "business_description", kind: "text", min: 1, max: 512, description: "a description of the business" },
    businessCategory: { name: "businessCategory", key: "business_category", kind: "category", min: 1, max: LONGEST_CATEGORY, description: "one of Kaleyra's 17 business categories (case-insensitive)" },
    website: { name: "website", key: "website", kind: "url", min: 1, max: 256, description: "the business's website" },
    contactEmail: { name: "contactEmail", key: "contact_email", kind: "email", min: 1, max: 128, description: "the business's contact email" },
    about: { name: "about", key: "about", kind: "text", min: 1, max: 139, description: "the profile's 'About' text" },
} as const satisfies Record<string, Omit<FieldSpec, "name" | "key"> & { name: string; key: string }>;

/** The program name of an editable field, e.g. `businessCategory`. */
export type ProfileFieldName = keyof typeof PROFILE_FIELDS;

/** Kaleyra's JSON key of an editable field, e.g. `business_category`. */
export type ProfileFieldKey = (typeof PROFILE_FIELDS)[ProfileFieldName]["key"];

/** The editable fields as a list, in the contract's order. */
export const FIELD_LIST: readonly FieldSpec[] = Object.values(PROFILE_FIELDS);

/** The program names of the editable fields, in the contract's order. */
export const FIELD_NAMES: readonly ProfileFieldName[] = FIELD_LIST.map((f) => f.name);

/** The field with the given Kaleyra JSON key, if any. */
export function fieldByKey(key: string): FieldSpec | undefined {
    return FIELD_LIST.find((f) => f.key === key);
}

/** Length in characters as people and Meta count them (Unicode code points, not UTF-16 units). */
export function charLength(value: string): number {
    let n = 0;
    for (const _ of value) n++;
    return n;
}
