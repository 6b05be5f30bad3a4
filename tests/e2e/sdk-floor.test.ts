/**
 * The floor of the declared `@pulumi/pulumi` peer range (package.json `^3.139.0`: the first release
 * whose dynamic providers get `configure`, which the shim needs) really works: a lifecycle smoke
 * with that release from npm (tests/helpers/sdk-range.ts). CI runs it under Node 22.
 */
import { sdkRangeSmoke } from "../helpers/sdk-range";
import { pulumiSdkFloor } from "../helpers/tarball";

describe("@pulumi/pulumi at the floor of the peer range", function () {
    this.timeout(300_000);
    sdkRangeSmoke(`@pulumi/pulumi ${pulumiSdkFloor()} (the floor)`, pulumiSdkFloor);
});
