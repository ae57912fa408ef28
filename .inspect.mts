import { loadAdminSchema } from "./tests/support/schema/admin-schema.ts";
import { isObjectType, isInputObjectType, isInterfaceType, isUnionType, isEnumType } from "graphql";
const s = loadAdminSchema();
for (const name of process.argv.slice(2)) {
  const [tn, fn] = name.split(".");
  const t = s.getType(tn!);
  if (!t) { console.log("NO TYPE", tn); continue; }
  if (isObjectType(t) || isInterfaceType(t) || isInputObjectType(t)) {
    const fields = t.getFields() as any;
    for (const f of Object.values(fields) as any[]) {
      if (fn && f.name !== fn) continue;
      const args = f.args ? f.args.map((a: any) => `${a.name}: ${a.type}`).join(", ") : "";
      console.log(`${tn}.${f.name}${args ? "(" + args + ")" : ""}: ${f.type}${f.deprecationReason ? " [DEPRECATED]" : ""}${fn ? "\n  " + f.description : ""}`);
    }
    if (isInterfaceType(t)) console.log("impls:", s.getPossibleTypes(t).length);
  } else if (isUnionType(t)) console.log(tn, "=", t.getTypes().map(x => x.name).join(" | "));
  else if (isEnumType(t)) console.log(tn, "=", t.getValues().map(v => v.name).join(" "));
  else console.log(tn, t.toString());
}
