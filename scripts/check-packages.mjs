#!/usr/bin/env node
// Checks every published package as a user would receive it:
//   1. publint (strict: warnings fail) on the packed tarball;
//   2. @arethetypeswrong/cli with the esm-only profile on the same tarball;
//   3. a smoke test: all tarballs installed with npm into a fresh project outside the repo, then every
//      export subpath loaded with import() from an .mjs file and with require() from a .cjs file.
// The tarballs come from `pnpm pack`, which rewrites `workspace:*` into real versions, so what is checked
// is what `pnpm publish` would upload. Build first (`pnpm build`); this script never builds.
//
// Usage: node scripts/check-packages.mjs [--keep] [package ...]
//   package: `@cdp/contract`, `contract` or `packages/contract`; none means every package.
//   --keep:  keep the temporary directory for inspection.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const attwBin = join(dirname(require.resolve("@arethetypeswrong/cli/package.json")), "dist", "index.js");

const args = process.argv.slice(2);
const keep = args.includes("--keep");
const wanted = args.filter((arg) => !arg.startsWith("--"));

/** Runs a command without a shell or stdin; resolves to its output, never rejects. */
function run(command, commandArgs, options = {}) {
  return new Promise((done) => {
    const child = spawn(command, commandArgs, {
      cwd: options.cwd ?? root,
      env: { ...process.env, CI: "true", FORCE_COLOR: "0", NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeout ?? 300_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      done({ code: -1, stdout, stderr: `${stderr}${error.message}\n` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? -1, stdout, stderr: signal ? `${stderr}killed by ${signal} (timeout?)\n` : stderr });
    });
  });
}

function onPath(name) {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}

/** The pnpm that runs this script when it runs under `pnpm check:packages`, else pnpm on PATH, else pnpm@10 through npx. */
function pnpmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath && /^pnpm(\.[cm]?js)?$/.test(basename(execPath)) && existsSync(execPath)) {
    return /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath]] : [execPath, []];
  }
  if (onPath("pnpm")) return ["pnpm", []];
  return ["npx", ["-y", "pnpm@10"]];
}

function indent(text) {
  return text
    .trim()
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n");
}

/** Node's error output without the stack frames, which point into Node's loader and say nothing here. */
function withoutStack(text) {
  return text
    .split("\n")
    .filter((line) => !/^\s+at /.test(line) && !/^Node\.js v/.test(line))
    .join("\n");
}

async function readJson(file) {
  return JSON.parse(await readFile(file, "utf8"));
}

async function workspacePackages() {
  const out = [];
  for (const entry of (await readdir(join(root, "packages"), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, "packages", entry.name);
    const manifestFile = join(dir, "package.json");
    if (!existsSync(manifestFile)) continue;
    const manifest = await readJson(manifestFile);
    if (manifest.private) continue;
    out.push({ dir, folder: entry.name, name: manifest.name, manifest });
  }
  return out;
}

function select(all) {
  if (wanted.length === 0) return all;
  return wanted.map((arg) => {
    const folder = arg.replace(/^packages\//, "").replace(/\/$/, "");
    const found = all.find((pkg) => pkg.name === arg || pkg.folder === folder);
    if (!found) {
      console.error(`check-packages: no package ${arg} (have: ${all.map((pkg) => pkg.name).join(", ")})`);
      process.exit(2);
    }
    return found;
  });
}

/** The selected packages plus every workspace package they depend on, so each installs from local tarballs. */
function withInternalDependencies(selected, all) {
  const byName = new Map(all.map((pkg) => [pkg.name, pkg]));
  const out = new Map();
  const visit = (pkg) => {
    if (out.has(pkg.name)) return;
    out.set(pkg.name, pkg);
    const { dependencies = {}, peerDependencies = {}, optionalDependencies = {} } = pkg.manifest;
    for (const name of Object.keys({ ...dependencies, ...peerDependencies, ...optionalDependencies })) {
      const dependency = byName.get(name);
      if (dependency) visit(dependency);
    }
  };
  for (const pkg of selected) visit(pkg);
  return [...out.values()];
}

/** Export subpaths a user can import, `./package.json` aside. */
function subpaths(manifest) {
  const { exports } = manifest;
  if (exports === undefined) return ["."];
  if (typeof exports === "string" || Array.isArray(exports)) return ["."];
  const keys = Object.keys(exports);
  if (!keys.every((key) => key.startsWith("."))) return ["."]; // conditions at the top level
  return keys.filter((key) => key !== "./package.json" && !key.includes("*"));
}

function specifier(name, subpath) {
  return subpath === "." ? name : `${name}/${subpath.slice(2)}`;
}

async function pack(pkgs, destination) {
  const [command, prefix] = pnpmCommand();
  const filters = pkgs.flatMap((pkg) => ["--filter", `./packages/${pkg.folder}`]);
  const result = await run(command, [...prefix, "-r", ...filters, "pack", "--pack-destination", destination, "--json"]);
  if (result.code !== 0) throw new Error(`pnpm pack failed:\n${result.stdout}${result.stderr}`);
  const tarballs = new Map();
  for (const pkg of pkgs) {
    const file = join(destination, `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.manifest.version}.tgz`);
    await access(file).catch(() => {
      throw new Error(`pnpm pack wrote no ${file}:\n${result.stdout}${result.stderr}`);
    });
    tarballs.set(pkg.name, file);
  }
  return tarballs;
}

async function lintPublint(tarball) {
  const data = await readFile(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
    strict: true,
  });
  const failures = messages.filter((message) => message.type !== "suggestion");
  const lines = messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`);
  if (failures.some((message) => message.code === "FILE_DOES_NOT_EXIST")) lines.push("(is the package built? run `pnpm build` first)");
  return { ok: failures.length === 0, detail: lines.join("\n") };
}

async function lintAttw(tarball) {
  const result = await run(process.execPath, [attwBin, tarball, "--profile", "esm-only", "--no-color", "--no-emoji", "--format", "ascii"]);
  const output = `${result.stdout}${result.stderr}`;
  // attw exits 0 for a package without any types; for us that is a failure.
  const typed = !/does not contain types/.test(output);
  return { ok: result.code === 0 && typed, detail: typed ? output : `${output}\n(no types: is the package built?)` };
}

async function install(project, tarballs, pkgs) {
  const dependencies = {};
  const overrides = {};
  for (const [name, file] of tarballs) {
    dependencies[name] = `file:${file}`;
    overrides[name] = `$${name}`; // every nested @cdp/* resolves to the local tarball, never the registry
  }
  // Optional peers (msw for @cdp/backend/msw) are installed so every subpath can load.
  for (const pkg of pkgs) {
    for (const [name, range] of Object.entries(pkg.manifest.peerDependencies ?? {})) {
      if (!tarballs.has(name)) dependencies[name] ??= range;
    }
  }
  await writeFile(
    join(project, "package.json"),
    `${JSON.stringify({ name: "cdp-package-smoke-test", private: true, version: "0.0.0", dependencies, overrides }, null, 2)}\n`,
  );
  const result = await run("npm", ["install", "--no-audit", "--no-fund", "--no-update-notifier", "--prefer-offline"], {
    cwd: project,
    env: { npm_config_yes: "true" },
  });
  if (result.code !== 0) throw new Error(`npm install failed in ${project}:\n${result.stdout}${result.stderr}`);
  // npm must have taken every @cdp/* package from a tarball, nested copies included.
  const lock = await readJson(join(project, "package-lock.json"));
  const fromRegistry = Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => /(^|\/)node_modules\/@cdp\//.test(path) && !String(entry.resolved ?? "").startsWith("file:"))
    .map(([path, entry]) => `${path} (${entry.resolved ?? entry.version})`);
  if (fromRegistry.length > 0) throw new Error(`@cdp packages not resolved to local tarballs: ${fromRegistry.join(", ")}`);
}

/** The source of a one-off script that loads `spec` one way and prints how many exports it has. */
function loader(how, spec) {
  const load = how === "import" ? `await import(${JSON.stringify(spec)})` : `require(${JSON.stringify(spec)})`;
  const empty = JSON.stringify(`${how}("${spec}") gave no exports`);
  return [
    `const ns = ${load};`,
    `if (ns === null || typeof ns !== "object" || Object.keys(ns).length === 0) throw new Error(${empty});`,
    "console.log(Object.keys(ns).length);",
    "process.exit(0);", // a package that leaves a handle open must not hang the check
    "",
  ].join("\n");
}

async function smoke(project, pkg) {
  const manifest = await readJson(join(project, "node_modules", ...pkg.name.split("/"), "package.json"));
  const checks = [];
  for (const subpath of subpaths(manifest)) {
    const spec = specifier(pkg.name, subpath);
    for (const [how, extension] of [
      ["import", "mjs"],
      ["require", "cjs"],
    ]) {
      checks.push(
        (async () => {
          const file = join(project, `${spec.replace(/[@/]/g, "_")}.${how}.${extension}`);
          await writeFile(file, loader(how, spec));
          const result = await run(process.execPath, [file], { cwd: project, timeout: 60_000 });
          const count = Number(result.stdout.trim().split("\n").at(-1));
          const ok = result.code === 0 && count > 0;
          return {
            label: `${how}(${JSON.stringify(spec)})`,
            ok,
            detail: ok ? `${count} exports` : withoutStack(`${result.stdout}${result.stderr}`),
          };
        })(),
      );
    }
  }
  for (const [command, target] of Object.entries(
    typeof manifest.bin === "string" ? { [pkg.name.split("/").pop()]: manifest.bin } : (manifest.bin ?? {}),
  )) {
    checks.push(
      (async () => {
        const file = join(project, "node_modules", ...pkg.name.split("/"), target);
        const text = existsSync(file) ? await readFile(file, "utf8") : undefined;
        const linked = existsSync(join(project, "node_modules", ".bin", command));
        const ok = Boolean(text?.startsWith("#!")) && linked;
        const detail =
          text === undefined
            ? `${target} is missing`
            : !text.startsWith("#!")
              ? `${target} has no #! line`
              : !linked
                ? "npm linked no bin"
                : target;
        return { label: `bin ${command}`, ok, detail };
      })(),
    );
  }
  return Promise.all(checks);
}

async function main() {
  if (!process.features.require_module) {
    console.error(`check-packages: Node ${process.version} cannot require() ES modules; use Node >= 20.19.`);
    process.exit(2);
  }
  const all = await workspacePackages();
  const selected = select(all);
  const packed = withInternalDependencies(selected, all);
  const temp = await mkdtemp(join(tmpdir(), "cdp-check-packages-"));
  const tarballDir = join(temp, "tarballs");
  const project = join(temp, "project");
  await mkdir(tarballDir);
  await mkdir(project);
  const started = Date.now();
  const report = new Map(selected.map((pkg) => [pkg.name, []]));
  let failed = false;
  try {
    console.log(`check-packages: ${selected.map((pkg) => pkg.name).join(", ")} (temp ${temp})`);
    const tarballs = await pack(packed, tarballDir);
    const installing = install(project, tarballs, packed).then(
      () => undefined,
      (error) => error,
    );
    await Promise.all(
      selected.map(async (pkg) => {
        const tarball = tarballs.get(pkg.name);
        const [publintResult, attwResult] = await Promise.all([
          lintPublint(tarball).catch((error) => ({ ok: false, detail: String(error?.stack ?? error) })),
          lintAttw(tarball),
        ]);
        report.get(pkg.name).push({ label: "publint --strict", ...publintResult });
        report.get(pkg.name).push({ label: "attw --profile esm-only", ok: attwResult.ok, detail: attwResult.ok ? "" : attwResult.detail });
      }),
    );
    const installError = await installing;
    if (installError) {
      failed = true;
      console.error(`check-packages: ${installError.message}`);
      for (const pkg of selected) report.get(pkg.name).push({ label: "npm install (see above); smoke test not run", ok: false });
    } else {
      await Promise.all(
        selected.map(async (pkg) => {
          report.get(pkg.name).push(...(await smoke(project, pkg)));
        }),
      );
    }
  } catch (error) {
    failed = true;
    console.error(`check-packages: ${error?.message ?? error}`);
  } finally {
    if (!keep) await rm(temp, { recursive: true, force: true });
  }

  for (const [name, checks] of report) {
    if (checks.length === 0) continue;
    const bad = checks.filter((check) => !check.ok);
    console.log(`${bad.length === 0 ? "ok  " : "FAIL"} ${name}`);
    for (const check of checks) {
      const note = check.ok && check.detail && !check.detail.includes("\n") ? ` (${check.detail})` : "";
      console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.label}${note}`);
      if (check.detail && (!check.ok || check.detail.includes("\n"))) console.log(indent(check.detail));
    }
    if (bad.length > 0) failed = true;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(failed ? `check-packages: FAILED (${seconds} s)` : `check-packages: all passed (${seconds} s)`);
  if (!failed && keep) console.log(`kept ${temp}`);
  process.exitCode = failed ? 1 : 0;
}

await main();
