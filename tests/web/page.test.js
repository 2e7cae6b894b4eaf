#!/usr/bin/env node
// Headless browser test of the page at GET /: an analyst types a name and a country, sees ranked
// results with scores and each feature's explanation, and opens an entity, all by keyboard.
// Drives Debian's chromium (or $CHROMIUM) with playwright-core.
//
// usage: node page.test.js EMBARGO_BINARY SOURCE_DIR     (exit 77: skipped)
"use strict";
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const readline = require("readline");

const SKIP = 77;

function skip(why) {
  console.log("SKIP: " + why);
  process.exit(SKIP);
}

let chromium;
try {
  ({ chromium } = require("playwright-core"));
} catch (e) {
  skip("playwright-core is not installed (npm ci --prefix tests/web)");
}

const [bin, src] = process.argv.slice(2);
if (!bin || !src) {
  console.error("usage: node page.test.js EMBARGO_BINARY SOURCE_DIR");
  process.exit(2);
}
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!fs.existsSync(browserPath)) skip(browserPath + " not found (apt-get install chromium)");

function check(cond, msg) {
  if (!cond) throw new Error("check failed: " + msg);
  console.log("ok - " + msg);
}

function startServer(index) {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, ["serve", "--index", index, "--listen", "127.0.0.1:0", "--threads", "2"],
                       { stdio: ["ignore", "pipe", "inherit"] });
    const rl = readline.createInterface({ input: proc.stdout });
    rl.once("line", (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (m) resolve({ proc, base: m[1] });
      else reject(new Error("unexpected first line: " + line));
    });
    proc.once("exit", (code) => reject(new Error("server exited with " + code)));
  });
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "embargo-web-"));
  const index = path.join(work, "demo.emb");
  execFileSync(bin, ["index", "build", "-o", index, path.join(src, "data/demo/demo_sanctions.csv")],
               { stdio: "ignore" });
  const { proc, base } = await startServer(index);
  const browser = await chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  let failed = false;
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = [];
    const foreign = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("request", (r) => { if (!r.url().startsWith(base + "/")) foreign.push(r.url()); });

    const resp = await page.goto(base + "/");
    check(resp.status() === 200, "the page loads");
    check((resp.headers()["content-security-policy"] || "").includes("default-src 'none'"),
          "the page is served with a Content-Security-Policy");
    check(await page.title() === "embargo screening", "the page has its title");

    // by label, as a screen reader user would find the fields; submitted with Enter
    await page.getByLabel("Name", { exact: true }).fill("Anxun Information Technology");
    await page.getByLabel(/^Country/).fill("China");
    await page.getByLabel("Name", { exact: true }).press("Enter");
    await page.waitForSelector("#results article.result", { timeout: 30000 });
    const results = await page.$$eval("#results article.result", (els) => els.map((e) => ({
      id: e.getAttribute("data-id"),
      score: e.querySelector(".score").textContent,
      title: e.querySelector("h3").textContent,
      features: Array.from(e.querySelectorAll("table tr td:first-child")).map((td) => td.textContent),
      match: e.classList.contains("match"),
    })));
    check(results.length >= 2, "ranked results appear (" + results.length + ")");
    const scores = results.map((r) => Number(r.score));
    check(results.every((r) => /^[01]\.\d{3}$/.test(r.score)), "each result shows its score");
    check(scores.every((s, i) => i === 0 || scores[i - 1] >= s), "results are ranked by score");
    check(results.every((r) => r.features.includes("name_match")),
          "each result explains its name match");
    check(results[0].features.includes("country_match"), "the country's evidence is explained");
    check(results.some((r) => r.id === "demo_sanctions-gb-isoon"), "the expected entity is found");
    check(results[0].match, "the best result is marked as a match");
    const status = await page.textContent("#status");
    check(/result\(s\)/.test(status), "the status line announces the results");
    check((await page.textContent("#snapshot")).includes("demo_sanctions"),
          "the page names the snapshot it was answered from");

    // open the first entity with the keyboard
    const first = page.locator("#results article.result").first().locator("button.open-entity");
    await first.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("#entity:not([hidden]) h2", { timeout: 30000 });
    const title = await page.textContent("#entity h2");
    check(results[0].title.includes(title), "the entity opens with its caption (" + title + ")");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    check(focused === "entity-title", "focus moves to the opened entity");
    const props = await page.$$eval("#entity table th", (ths) => ths.map((t) => t.textContent));
    check(props.includes("name") && props.includes("sanctions"),
          "the entity shows its names and sanctions");

    // a name that meets nothing says so
    await page.getByLabel("Name", { exact: true }).fill("Zzyzx Qwertyuiop");
    await page.getByRole("button", { name: "Screen" }).click();
    await page.waitForFunction(() => /No result/.test(document.querySelector("#results").textContent));
    check(true, "a name with no match says so");

    check((await context.cookies()).length === 0, "no cookie is set");
    check(foreign.length === 0, "no request leaves the server (" + foreign.join(", ") + ")");
    check(problems.length === 0, "no script error or CSP violation (" + problems.join("; ") + ")");
  } catch (e) {
    failed = true;
    console.error("FAIL: " + e.message);
  } finally {
    await browser.close();
    proc.kill("SIGTERM");
    await new Promise((r) => proc.once("exit", r));
    fs.rmSync(work, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error("FAIL: " + e.stack);
  process.exit(1);
});
