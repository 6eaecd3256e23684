// Drives `audit-report preview` in headless Chromium as a lead would: loads the page, edits
// a return, and waits for the page to reload with the new figure; then breaks a file and
// waits for the problem to show at its file and line, and mends it. Prints the results as
// JSON. Run by tests/integration/preview.rs:
//   node tests/browser/preview.mjs <url> <file> <from> <to> <before> <after>
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";

const [url, file, from, to, before, after] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const result = {};
const shows = (page, text, ms) =>
  page.waitForFunction((t) => document.body && document.body.textContent.includes(t), text, { timeout: ms })
    .then(() => true, () => false);
try {
  const page = await browser.newPage();
  await page.goto(url);
  result.before = await shows(page, before, 10000);
  const original = readFileSync(file, "utf8");
  const started = Date.now();
  writeFileSync(file, original.replace(from, to));
  result.after = await shows(page, after, 10000);
  result.reload_ms = Date.now() - started;
  // A broken file: the page shows the problem at its place instead of the report.
  writeFileSync(file, original.replace(from, to) + "\n  oops: [unclosed\n");
  result.problem = await shows(page, file.split("/").slice(-2).join("/") + ":", 10000);
  writeFileSync(file, original.replace(from, to));
  result.mended = await shows(page, after, 10000);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
