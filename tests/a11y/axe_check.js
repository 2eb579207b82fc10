// Accessibility check of rendered reports: the WCAG 2.1 A and AA rules of axe-core, run on
// each page in headless Chromium. `make a11y` renders the demo suite and runs it on every page.
// usage: node axe_check.js FILE.html [...]   (CHROMIUM=/path/to/chromium to choose the browser)
// Exit code 0: no violation; 1: violations (each rule, its impact, how many elements and the
// first element are printed); 2: the check could not run.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
                                          args: ['--no-sandbox'] });
  const page = await browser.newPage();
  let total = 0;
  for (const file of process.argv.slice(2)) {
    await page.goto('file://' + path.resolve(file));
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    const v = result.violations;
    total += v.reduce((n, x) => n + x.nodes.length, 0);
    console.log(`${path.basename(file)}: ${v.length ? v.map(x => `${x.id} (${x.impact}, ${x.nodes.length} elements): ${x.help}; e.g. ${x.nodes[0].target.join(' ')}`).join('\n  ') : 'no violations'}`);
  }
  await browser.close();
  console.log(`${total} violating elements`);
  process.exit(total ? 1 : 0);
})().catch(e => { console.error(e); process.exit(2); });
