#!/usr/bin/env node
// A file that exists before the build, so package managers can link the `cdp` command at install time.
import "../dist/bin.js";
