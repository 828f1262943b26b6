// Writes docs/rest-api.md from the built contract (packages/contract/dist).
import { writeFileSync } from "node:fs";
import * as contract from "../packages/contract/dist/index.js";
import { buildRestApiMarkdown } from "./rest-api-doc.mjs";

const target = new URL("../docs/rest-api.md", import.meta.url);
writeFileSync(target, buildRestApiMarkdown(contract));
console.log("wrote docs/rest-api.md");
