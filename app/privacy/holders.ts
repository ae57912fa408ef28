// Personal data Afterglow keeps lives in "holders", each able to export and to redact what it has about a
// customer. A domain that stores personal data defines its holder beside its data and the startup module
// (app/app.server.ts) registers it; customers/data_request and customers/redact (privacy.server.ts) go through all.
import type { PrivacySubject } from "./subject";

export interface PersonalDataHolder {
  name: string;
  export(shop: string, subject: PrivacySubject): Promise<unknown[]>;
  redact(shop: string, subject: PrivacySubject): Promise<number>;
}

declare global {
  var afterglowPersonalDataHolders: PersonalDataHolder[] | undefined;
}

export function registerPersonalDataHolders(...holders: PersonalDataHolder[]): void {
  const current = (globalThis.afterglowPersonalDataHolders ??= []);
  for (const holder of holders) if (!current.some((h) => h.name === holder.name)) current.push(holder);
}

/** In registration order. Throws when none are registered: a redaction would silently leave personal data behind. */
export function registeredPersonalDataHolders(): readonly PersonalDataHolder[] {
  const holders = globalThis.afterglowPersonalDataHolders ?? [];
  if (holders.length === 0)
    throw new Error("Personal-data holders are not registered: this process must import app/app.server.ts first (entry.server.tsx and jobs/worker-main.ts do)");
  return holders;
}
