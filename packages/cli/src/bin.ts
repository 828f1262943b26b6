#!/usr/bin/env node
import { run } from "./index.js";

run(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cdp: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
