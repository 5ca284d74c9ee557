// Calls a running lvzhi through a TypeScript client generated from its OpenAPI
// document (openapi-typescript types + openapi-fetch), compiled with tsc
// --strict. Every list the document declares is used as the array it says it
// is, so an answer with null where the document promises a list crashes here,
// as it crashed real clients. Run by scripts/clients/check.sh.
import createClient from "openapi-fetch";
import type { paths } from "./schema.js";

const base = process.env.LVZHI_BASE + "/api/v1";
const token = process.env.LVZHI_TOKEN ?? "";
const api = createClient<paths>({ baseUrl: base, headers: { Authorization: "Bearer " + token } });
let calls = 0;

function ok<T>(name: string, r: { data?: T; error?: unknown; response: Response }): T {
  calls++;
  if (r.response.status !== 200 || r.data === undefined) {
    throw new Error(`${name}: status ${r.response.status} ${JSON.stringify(r.error)}`);
  }
  console.log("ok  " + name);
  return r.data;
}

async function main() {
  const me = ok("GET /me", await api.GET("/me"));
  console.log("    " + me.name + " " + me.roles.join(","));

  const members = ok("GET /members", await api.GET("/members", { params: { query: {} } }));
  const names = members.items.map((m) => m.name + m.positions.join("、"));
  if (names.length === 0) throw new Error("no members");
  ok("GET /members/{id}", await api.GET("/members/{id}", { params: { path: { id: members.items[0].id } } }));

  const units = ok("GET /units", await api.GET("/units", { params: { query: {} } }));
  units.items.forEach((u) => u.name.length);

  const props = ok("GET /proposals", await api.GET("/proposals", { params: { query: {} } }));
  for (const p of props.items.slice(0, 5)) {
    const d = ok(`GET /proposals/${p.id}`, await api.GET("/proposals/{id}", { params: { path: { id: p.id } } }));
    const lists =
      d.assignments.length + d.attachments.length + d.can.length + d.contacts.length + d.evaluations.length +
      d.events.length + d.follow_ups.length + (d.merged_from ?? []).length + d.replies.length + d.signers.length +
      d.supervision.length + d.supervisors.length;
    if (lists < d.can.length) throw new Error("impossible");
  }

  const figs = ok("GET /figures", await api.GET("/figures", { params: { query: {} } }));
  figs.values.forEach((f) => f.id.length);
  const recs = ok(
    "GET /figures/records",
    await api.GET("/figures/records", { params: { query: { figure: "proposals.registered" } } }),
  );
  recs.records.forEach((r) => r.cells.length);

  const league = ok("GET /units/league", await api.GET("/units/league", { params: { query: {} } }));
  league.rows.forEach((r) => r.unit.length + Object.keys(r.values).length);
  const links = ok("GET /liaison/links", await api.GET("/liaison/links", { params: { query: {} } }));
  links.items.forEach((l) => l.id);
  console.log(`ts client: ${calls} calls answered and typed`);
}

main().catch((e) => {
  console.error("FAIL " + (e instanceof Error ? e.message : String(e)));
  process.exit(1);
});
