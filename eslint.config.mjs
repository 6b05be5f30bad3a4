// @ts-check
import { builtinModules } from "node:module";
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

/** Node's built-in modules, always imported with the `node:` prefix (one spelling across the repo). */
const BARE_BUILTINS = builtinModules.filter((m) => !m.startsWith("_") && !m.startsWith("node:"));

export default tseslint.config(
    { ignores: ["dist/", "node_modules/", ".tools/", "**/*.js", "**/*.mjs", "examples/**/node_modules/", "sdk/"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "@typescript-eslint/no-require-imports": "off",
            eqeqeq: ["error", "always"],
            "no-restricted-imports": [
                "error",
                {
                    paths: BARE_BUILTINS.map((name) => ({ name, message: `import "node:${name}" (the repository spells built-in modules with the node: prefix)` })),
                },
            ],
        },
    },
);
