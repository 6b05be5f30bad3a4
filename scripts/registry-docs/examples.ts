/**
 * The registry overview's example — one profile on one number — written in each language from the
 * same values, so the four can never say different things.
 */
import { NODEJS_PACKAGE_NAME } from "../../provider/plugin/schema";

/** The example's resource name and properties (camelCase, as in the schema). */
const PROFILE: Readonly<Record<string, string>> = {
    waNumber: "+919876543210",
    about: "Open 9-6, Mon-Sat",
    businessCategory: "Hotel and Lodging",
    contactEmail: "help@example.com",
    incomingUrl: "https://hooks.example.com/whatsapp",
};

const NAME = "support";
const entries = Object.entries(PROFILE);
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const json = (value: string) => JSON.stringify(value);

/** The example in TypeScript, with the Node.js SDK. */
export function typescriptExample(): string {
    return [
        `import * as kaleyra from "${NODEJS_PACKAGE_NAME}";`,
        "",
        `const ${NAME} = new kaleyra.WhatsAppNumberProfile("${NAME}", {`,
        ...entries.map(([k, v]) => `    ${k}: ${json(v)},`),
        "});",
        "",
        `export const ${NAME}Number = ${NAME}.id;`,
    ].join("\n");
}

/** The example in Pulumi YAML. */
export function yamlExample(): string {
    return [
        "resources:",
        `  ${NAME}:`,
        "    type: kaleyra:WhatsAppNumberProfile",
        "    properties:",
        ...entries.map(([k, v]) => `      ${k}: ${json(v)}`),
        "outputs:",
        `  ${NAME}Number: \${${NAME}.id}`,
    ].join("\n");
}

/** The example in Go, with the Go SDK. */
export function goExample(): string {
    const width = Math.max(...entries.map(([k]) => k.length)) + 1;
    return [
        "package main",
        "",
        "import (",
        '\t"github.com/pulumi-kaleyra-whatsapp/sdk/go/kaleyra"',
        '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
        ")",
        "",
        "func main() {",
        "\tpulumi.Run(func(ctx *pulumi.Context) error {",
        `\t\t${NAME}, err := kaleyra.NewWhatsAppNumberProfile(ctx, "${NAME}", &kaleyra.WhatsAppNumberProfileArgs{`,
        ...entries.map(([k, v]) => `\t\t\t${`${pascal(k)}:`.padEnd(width + 1)} pulumi.String(${json(v)}),`),
        "\t\t})",
        "\t\tif err != nil {",
        "\t\t\treturn err",
        "\t\t}",
        `\t\tctx.Export("${NAME}Number", ${NAME}.ID())`,
        "\t\treturn nil",
        "\t})",
        "}",
    ].join("\n");
}

/** The example in Python, with the Python SDK. */
export function pythonExample(): string {
    return [
        "import pulumi",
        "import pulumi_kaleyra as kaleyra",
        "",
        `${NAME} = kaleyra.WhatsAppNumberProfile(`,
        `    "${NAME}",`,
        ...entries.map(([k, v]) => `    ${snake(k)}=${json(v)},`),
        ")",
        "",
        `pulumi.export("${NAME}Number", ${NAME}.id)`,
    ].join("\n");
}
