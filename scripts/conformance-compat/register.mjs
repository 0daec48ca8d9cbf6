// Loaded with `node --import` by scripts/conformance.mjs. The conformance suite (0.1.14 and
// later) imports `globSync` from `fs`, which Node adds in 22; toolgate supports Node ≥ 20.18.
// On a Node without it, this resolve hook hands the suite's `fs` imports a module that is
// node:fs plus a `globSync` good for the one pattern the suite uses (`**/<file name>`, to
// collect checks.json files). On Node ≥ 22 it does nothing.
import fs from "node:fs";
import { register } from "node:module";

if (typeof fs.globSync !== "function") register("./hooks.mjs", import.meta.url);
