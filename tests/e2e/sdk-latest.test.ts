/**
 * The newest `@pulumi/pulumi` on npm works too: the same lifecycle smoke as the floor's
 * (tests/helpers/sdk-range.ts) with whatever `npm view @pulumi/pulumi version` names today, so a
 * new release that breaks the package fails CI before a user meets it.
 */
import { sdkRangeSmoke } from "../helpers/sdk-range";
import { newestPulumiSdk } from "../helpers/tarball";

describe("@pulumi/pulumi at the newest release on npm", function () {
    this.timeout(300_000);
    sdkRangeSmoke("the newest @pulumi/pulumi", newestPulumiSdk);
});
