// Lint for the web app: typescript-eslint's type-checked rules, plus the rules that keep
// every rendered value escaped by construction (no HTML strings reach the DOM).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const NO_HTML_SINKS = [
  {
    selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]",
    message: "Render with lit-html (src/view.ts); HTML strings are never written to the DOM.",
  },
  {
    selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment|write|writeln)$/]",
    message: "Render with lit-html (src/view.ts); HTML strings are never written to the DOM.",
  },
  {
    selector: "CallExpression[callee.name=/^(eval|Function)$/], NewExpression[callee.name='Function']",
    message: "No eval: the pages run under a CSP without 'unsafe-eval'.",
  },
  {
    selector: "CallExpression[callee.property.name='setAttribute'][arguments.0.value=/^(on|style$|srcdoc$)/]",
    message: "No event-handler, style or srcdoc attributes (CSP, and they are code).",
  },
];

export default tseslint.config(
  { ignores: ["node_modules/", "src/generated/", "../src/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "no-restricted-syntax": ["error", ...NO_HTML_SINKS],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["lit-html/directives/unsafe-*", "lit/directives/unsafe-*"],
              message: "unsafe-html/unsafe-svg would render strings as markup.",
            },
            { group: ["lit-html/static*", "lit/static-html*"], message: "Static (unescaped) templates are not used." },
          ],
        },
      ],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-confusing-void-expression": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["scripts/**/*.mjs", "eslint.config.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
