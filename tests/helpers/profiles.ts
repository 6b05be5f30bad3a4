/** The valid, complete profile the tests start from: every field set, every rule met. */

import type { ProfileInputs } from "../../provider/contract/types";

/** A full profile for `waNumber` (default `+919876543210`), with any fields overridden. */
export function fullProfile(overrides: Partial<ProfileInputs> = {}): ProfileInputs {
    return {
        waNumber: "+919876543210",
        about: "Open 9-6, Mon-Sat",
        address: "567, 2nd Phase, Bangalore",
        businessDescription: "Hotel booking help desk",
        businessCategory: "Hotel and Lodging",
        contactEmail: "help@example.com",
        website: "https://example.com",
        displayImage: "https://cdn.example.com/logo.jpg",
        incomingUrl: "https://hooks.example.com/wa",
        ...overrides,
    };
}
