// Checks the HTML files named on the command line with html-validate; prints each problem
// as "file:line:column rule: message" and exits 1 when there is one.
"use strict";
const { HtmlValidate } = require("html-validate");
const fs = require("node:fs");

const checker = new HtmlValidate({
  extends: ["html-validate:standard", "html-validate:a11y"],
});

async function main(files) {
  let problems = 0;
  for (const file of files) {
    const report = await checker.validateString(fs.readFileSync(file, "utf8"), file);
    for (const result of report.results) {
      for (const m of result.messages) {
        problems += 1;
        console.log(`${file}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
      }
    }
  }
  process.exit(problems > 0 ? 1 : 0);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(2);
});
