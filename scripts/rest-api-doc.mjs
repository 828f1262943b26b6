// Builds docs/rest-api.md from the contract's route table, role matrix and error codes.
// Used by scripts/generate-rest-api.mjs (writes it) and the docs test (checks it is current).
const intro = `# REST API

Generated from \`@cdp/contract\` by \`pnpm docs:rest\`; do not edit by hand. The OpenAPI 3.1 document
is [openapi.json](./openapi.json), generated from the same table.

## Conventions

- JSON over HTTP under \`/v1\`; camelCase fields; times are ISO 8601 in UTC.
  A path with one trailing slash is the same route (\`POST /v1/track/\` is \`POST /v1/track\`); a 405
  \`method_not_allowed\` names in \`Allow\` the methods the path does take.
  Bodies are JSON (\`application/json\`, \`+json\` types, or \`text/plain\` read as JSON; others 415
  \`unsupported_media_type\`), sent as they are or with \`Content-Encoding: gzip\` (as Segment's Python library
  sends with \`gzip=True\`) or \`deflate\`; the size limits hold for the body decompressed; another encoding is
  a 415 at \`headers.content-encoding\`, a body that does not decompress a 400 \`invalid_json\`.
- **Auth**: \`Authorization: Bearer <secret key or access token>\`. A key bound to several workspaces
  names one with \`Cdp-Workspace: ws_…\`. Access tokens come from \`POST /v1/oauth/token\` (OAuth 2.0
  client credentials: the client id is a key id, the secret that key's secret; they live 3,600 s).
  Write keys (\`wk_…\`) may only send tracking messages: 403 \`write_key_forbidden\` elsewhere.
  On \`POST /v1/oauth/token\` too, in that route's RFC 6749 §5.2 shape:
  \`{ "error": "write_key_forbidden", "error_description" }\`. The tracking
  routes take one as Segment's clients send it: HTTP Basic with the key as user name and an empty password
  (\`Authorization: Basic base64("wk_…:")\`), or \`writeKey\` in the body (for \`text/plain\` bodies from \`sendBeacon\`).
  Only a write key goes in the body (a body may be logged on its way): a secret key there is 401
  \`unauthenticated\` at \`body.writeKey\`; a secret key in the header is taken. A key in the header wins over one
  in the body. A tracking route's 401 says how a tracker sends its key.
- **Errors**: \`{ "error": { "type", "code", "message", "issues"?: [{ "path", "message" }], "requestId" } }\`.
  \`issues[].path\` is dotted and names the place: \`body.identifiers.0.value\`, \`query.limit\`; in a \`/v1/batch\`
  answer's \`rejected\`, the item's: \`body.batch.3.event\`.
  A field a request body does not declare is a 400 at its place ("unknown field"), nested objects
  included: \`body.foo\`, \`body.identifiers.0.foo\` (an identifier holds \`type\` and \`value\` only);
  the tracking routes take any field, as Segment's API does.
  A query parameter the route does not declare is a 400 at \`query.<name>\` ("unknown field"), on routes
  without parameters too (\`?limt=10\` is never ignored); the tracking routes ignore the query string, as
  Segment's API does, and so does \`POST /v1/oauth/token\` (OAuth clients may send their own).
  A write route that takes no body (\`POST /v1/events/{id}/duplicate\`) takes none or \`{}\`: invalid JSON is a
  400 \`invalid_json\`, any other body a 400 \`validation_failed\` at \`body\` ("takes no body"), and nothing is written.
  Every answer carries \`Cdp-Request-Id\`. A 404 for another workspace's id is byte-identical to a 404
  for an id that never existed, \`requestId\` aside.
- **Limits**: bodies over 1 MiB answer 413; JSON nested deeper than 32 answers 400 \`too_deep\`. Tracking:
  a message over 32 KiB answers 413 (in a batch, that item is rejected and the others go through), a
  \`/v1/batch\` body over 500 KiB answers 413 \`payload_too_large\`.
- **Tracking times**: an event's \`receivedAt\` is the backend's clock. Its \`timestamp\` is corrected for the
  device's clock as Segment does when the message carries \`sentAt\` (or its \`/v1/batch\` body does; the
  message's own wins): \`timestamp = receivedAt − (sentAt − originalTimestamp)\`, where originalTimestamp is
  the message's \`originalTimestamp\`, else its \`timestamp\`. Without \`sentAt\`, \`timestamp\` as sent; without
  either, \`receivedAt\`. A \`timestamp\`, \`originalTimestamp\` or \`sentAt\` is read only as ISO 8601 with its offset
  (\`Z\`, \`+02:00\`, \`+0200\`) or a bare date (UTC); any other string (\`5/1/2026\`, a date-time without an
  offset, which JavaScript would read in the server's time zone, or a date that does not exist, \`2026-02-30\`,
  which it would roll over into March) is not an error: it is left out of the rule (tracking never refuses a
  message for its clock).
- **Tracking traits**: identify's \`traits\` are written to base properties (Segment's reserved traits),
  defined properties, or \`traits\`; a trait whose value is empty (\`null\`, \`""\` or only white space, \`[]\`, \`{}\`) is
  not written, so it never overwrites a real value, as in a merge (clear a field with \`PATCH /v1/customers/{id}\` and \`null\`). A group's
  \`traits\` describe the group: they are neither identifiers nor written to the profile. An alias's
  \`previousId\` is a user id when a profile holds it as one, else an anonymous id; equal to \`userId\`, it adds nothing.
  A trait the profile holds with that value already is not written again: an identify that brings nothing
  new writes nothing (no new \`updatedAt\`, no changelog entry, no audit entry), as a sync with nothing new.
  An \`address\` trait's parts go to the base address (\`street\`, \`city\`, \`postalCode\`/\`postal_code\`,
  \`state\`/\`region\` → \`region\`, \`country\`, as text); its other parts (\`zip\`, a number) are kept under
  \`traits.address\`, with a note. A trait that names a defined property but does not fit it (\`age: "forty"\` for an integer) is kept under
  \`traits\`, and the changelog entry says why in \`notes\` (\`"traits.age": "not properties.age: must be an integer"\`).
  A trait whose name no field can carry (empty, or over 128 characters) is dropped, the message still accepted, and
  the changelog entry names it (\`notes.traits\`: \`dropped "": a trait's name takes 1 to 128 characters\`). An event's
  \`properties\` and \`context\` (and a message's \`integrations\`) are any JSON object: their keys are kept as sent.
  An identifier a message adds to a known profile is a changelog entry (\`identifier_added\`) as well as an ID
  changelog line; a new profile's first identifiers are its \`created\` entry.
- **Tracking and the audit log**: each tracking request that writes anything is one audit entry (action
  \`track\`, \`identify\`, … or \`batch\`; actor the key that sent it, a write key included): a single
  message's names the profile it reached as \`target\`; a batch's names none. A replay, a batch of replays
  and rejected items only, an erased person's message, or one that brings nothing new (a repeated identify,
  a group, an alias of a user id to itself) writes nothing and leaves none. A message's own
  fields (a \`reason\` among them) are its data, never the entry's reason.
  A message refused for a restricted profile whose consent withdrawal was taken all the same leaves one,
  naming that profile.
- **Tracking and a restricted profile**: a message that reaches a restricted profile (GDPR art. 18) is
  refused with 403 \`processing_restricted\` (in a batch: that item, \`rejected\`), unless the key is a dpo's.
  Its consent withdrawals are taken all the same, as \`POST /v1/customers/{id}/consents\` takes them
  (GDPR art. 7(3)): each \`false\` in \`context.consent.categoryPreferences\` for a defined purpose is
  recorded as denied, and the refusal says so, with an issue at \`body.context.consent.categoryPreferences\`
  (\`the withdrawal (marketing) was recorded; nothing else of the message was\`). Nothing else of the
  message is kept: no event, trait, grant or identifier. A withdrawal the profile's log holds already is said
  to be \`recorded before\`, and writes nothing. A message that would move a restricted profile's
  \`anonymousId\` or \`deviceId\` to another profile (the device now signed in as another user) is refused
  the same way: a restricted profile keeps its devices, as \`move: true\` through the API is refused.
- **Identifier values**: an email is trimmed, lower-cased and put in Unicode NFC everywhere identifiers are
  read (create, \`addIdentifier\`, lookup, search, \`identity.resolve\`, tracking traits), so \`josé@x.com\`
  with a composed é or with e + U+0301 is one address, stored composed; an email with white space, a control
  character (U+0000–U+001F) or DEL (U+007F) is invalid everywhere; a phone goes to E.164. Every other
  type (\`userId\`, \`anonymousId\`, custom ones) is only trimmed: its value is exact as sent.
- **Dropped identifiers**: a tracking message's blocked or invalid identifier (\`userId: "anonymous"\`, an
  invalid email or phone in identify's \`traits\` or a message's \`context.traits\`) is dropped, not the message; the receiving profile's changelog
  (\`identifier_dropped\`) and ID changelog record the value and the rule (\`blocked value\`, \`invalid email\`,
  \`invalid phone\`, \`too long\`: an email or phone over 512 characters), once per value as sent (a trait
  email or phone that is no string or number, \`true\` or an object, is invalid, recorded as its JSON text).
  An empty value (\`email: ""\`, only white space, \`[]\`, \`{}\`) is no identifier at all: it is skipped, as
  \`null\` is, and leaves no trace. A
  \`userId\`, \`anonymousId\` or \`previousId\` over 512 characters fails the message's schema (400, or a
  rejected batch item) rather than being dropped. A message left with no identifier at all is refused
  (422 \`no_identifier\`, one issue per value naming its place and why).
- **Profiles per merge**: one request joins at most 50 profiles. Identifiers held by more (an event create
  by identifiers, a customer create with \`onConflict: "merge"\`, \`identity.resolve\`) answer 422
  \`identifier_limit\` with an issue at \`body.identifiers\`, and nothing is written; a manual merge names
  \`body.from\` (at most 49 ids).
- **Custom identifier types**: a workspace knows at most 50 identifier types of its own (\`maxCustomIdentifierTypes\`
  in \`@cdp/contract\`), counting the types some live profile holds and those given a rule in the settings;
  the built-in ones never count. A customer create, \`addIdentifier\`, event create by identifiers or settings
  update that would bring a 51st answers 422 \`identifier_types_exhausted\` (an issue at each new type's place,
  \`body.identifiers.1.type\`, \`body.identity.types.x\`) and changes nothing. A type whose last value is
  removed (and that has no rule) no longer counts. Tracking messages bring built-in types only.
- **Numbers**: an integer beyond 2^53 in a body (a numeric user id, an order id) is kept exact as its
  decimal string, never rounded: \`{"userId": 12345678901234567890}\` is the user id \`"12345678901234567890"\`.
  It is that string everywhere, so a field that wants a string takes it and a field that wants a number
  refuses it as a string. Only integer literals are kept so: \`1e21\` or \`12345678901234567890.0\` are JSON
  numbers (doubles), rounded as any parser rounds them.
- **Lists**: \`limit\` (default 50, ≤ 1000), opaque \`cursor\`; where a list's query names them (the
  customer lists), \`sort=field|-field\` (default \`-createdAt\`; id breaks ties; a field holding values of
  several kinds, as free-form traits may, sorts numbers, then \`false\`, \`true\`, then text, missing values
  last, in either direction) and \`fields=a,b\` (id
  always), the other lists keeping one order each (events: newest \`timestamp\` first); the answer is \`{ data, nextCursor }\`,
  \`nextCursor\` null on the last page. Pages neither skip nor repeat while records are inserted.
  A cursor is good only for the list that issued it: the same list in the same workspace (the same
  organization for keys and privacy requests, the organization's lists), with the same \`sort\` and the
  same filters, that is every parameter that picks its records: \`q\`, a search's \`match\` and
  \`conditions\`, and a list's own (\`type\`, \`category\`, \`from\`, \`to\` on events; \`action\`,
  \`actor\`, \`target\`, \`from\`, \`to\` on the audit log; \`purpose\` on a consent history; \`type\`,
  \`status\` on privacy requests). \`limit\` and \`fields\` only shape a page: change them between pages
  and the list goes on where it was. The same filters written another way are the same list: a body's
  keys in another order, a default given or left out, the terms of a \`q\` in another case or order, a
  time in another ISO 8601 form; \`GET /v1/customers?q=\` and a search with that \`q\` and no
  \`conditions\` are one list. A cursor of another list or query is a 400 \`invalid_cursor\` at
  \`query.cursor\` (\`body.cursor\` for a search), "belongs to another list or query"; an edited or made-up
  one is too, "is not a cursor of this list". A list of one
  customer's records (its changelog, its consent history, \`GET /v1/events?customerId=\`) is that
  customer's: its cursor pages no other customer's list, nor the workspace's events (and theirs not
  it); it keeps paging once the customer is merged, by its id or its survivor's.
  A time range (\`from\`, \`to\` on events and the audit log) includes both ends; \`to\` before \`from\`
  is a 400 at \`query.to\`, not an empty page.
- **Times**: ISO 8601 in UTC, answered as \`toISOString\` writes them (\`2026-11-05T10:00:00.000Z\`). A time
  on a date that does not exist (\`2026-02-30T10:00:00Z\`) is a 400 at its place (\`body.timestamp\`), never
  rolled over into the next month. A time
  given in another form (\`…10:00:00Z\`, \`…10:00:00.5Z\`, more than three digits of a second) names the same
  instant: it is stored, ordered and compared (event times, \`from\` / \`to\`, \`createdAt\` / \`updatedAt\`
  in a search) to the millisecond, digits past the third dropped. So is a \`datetime\` property, however it is
  written (create, PATCH, \`onConflict: "merge"\`, an identify trait): \`2026-05-01T12:00:00+02:00\` is stored and
  answered as \`2026-05-01T10:00:00.000Z\`, and \`properties.x\` in a search compares instants. In a search, only a full date-time with
  \`Z\` or an offset is so read, in the forms a tracking message's times are read in (\`T\` or a space,
  \`+02:00\` or \`+0200\`), and only by the comparing operators: a date, or a date-time without an
  offset, is compared as text (\`startsWith "2026-11-23"\` is that day), never in the server's time zone.
- **Full text** (\`q\`): unquoted terms are AND-ed, case-insensitive, matching token prefixes across names,
  emails, phones, ids, identifiers and text properties; \`"a quoted phrase"\` equals a whole field value.
- **Advanced search** (\`POST /v1/customers/search\`): \`{ match: "all" | "any", conditions: [{ field, op, value } | { match, conditions }] }\`;
  field: a base property, \`address.x\`, \`properties.x\` (must be defined), \`traits.x\`, \`identifiers.<type>\`, \`tags\`,
  \`createdAt\`, \`updatedAt\`, \`id\`, \`status\`, \`mergedInto\`; ops: eq, neq, contains, startsWith (case-insensitive), gt, gte, lt, lte,
  in (array), exists (true/false), between (\`[min, max]\`, inclusive). A field holding several values
  (tags, identifiers) matches when any value does. Identifier values are normalised like identifiers.
  A \`null\` value is a 400 at its place (a field set to null is a missing one, so it would match nothing):
  \`{ op: "exists", value: false }\` finds a missing field.
  Searches answer live profiles only, unless a condition names \`status\` or \`mergedInto\` (or ids one by
  one, below): then merged profiles (aliases) match too. An alias is a whole customer record, every field
  present, with values only in its \`id\`, \`createdAt\`, \`updatedAt\` (when it was merged), \`status: "merged"\`,
  \`mergedInto\` (the live survivor) and \`restricted\` (the survivor's); its data moved to the survivor, so the
  rest is empty: \`firstName\`, \`lastName\`, \`birthDate\`, \`gender\`, \`locale\`, \`timeZone\`, \`email\`, \`phone\`,
  \`address\`, \`company\` and \`jobTitle\` are \`null\`, \`properties\` and \`traits\` are \`{}\`, \`identifiers\` and
  \`tags\` are \`[]\`.
- **Merged ids**: a profile merged into another keeps its id as an alias: every route given it acts on
  the survivor (\`GET /v1/customers/{oldId}\` answers the survivor, whose \`id\` differs from the one asked;
  \`GET /v1/customers?q=<oldId>\` lists the survivor; \`GET /v1/customers\` has no status filter and lists live
  profiles only). A search naming ids one by one (\`id eq\` / \`id in\`), like one on \`status\` or \`mergedInto\`,
  lists the alias record itself, as above.
  The survivor's \`GET /v1/customers/{id}/identities\` lists its \`aliases\`; its changelog and ID changelog hold the
  merged profiles' history too, each entry naming the profile it was written on (\`customerId\`). Deleting or erasing the survivor
  removes its aliases too.
- **Idempotency**: \`Idempotency-Key\` (1–255 characters) on POST, PATCH and DELETE, scoped to (key,
  workspace, method, path) for 24 h: the same key and body answer the first answer again (header
  \`Idempotent-Replayed: true\`) without a second write; another body → 409 \`idempotency_mismatch\`;
  while the first is in flight → 409 \`idempotency_in_progress\`. 5xx answers are not kept. An answer
  whose path or body names a customer erased since (\`POST /v1/customers/{id}/erase\`,
  \`POST /v1/erasures\`) is dropped with the customer, even one still in flight during the erasure:
  its key then answers 410 \`idempotency_erased\`, and the request does not run again (the erasure's own
  answer, which names nobody, replays as usual). A delete (\`DELETE /v1/customers/{id}\`, bulk delete) drops the
  kept answers that name the customer the same way; its own answer (\`{ id, deleted: true }\`) replays.
- **Identifier types**: each type is unique or not (\`identity.types.<type>.unique\` in \`/v1/settings\`). A value of a
  unique type belongs to one live customer. A value of a type declared non-unique (a family's membership number)
  may be held by any number of customers and identifies none of them: tracking and \`/v1/identity/resolve\` never
  match it, \`POST /v1/customers\` and \`POST /v1/customers/{id}/identifiers\` store it without a 409 (and
  \`onConflict: "merge"\` never merges on it), \`GET /v1/customers/lookup\` answers 422 \`identifier_not_unique\`,
  and \`POST /v1/customers/search\` with \`identifiers.<type>\` finds every holder; erasing a customer does not
  follow it to the others. A type made unique again keeps the values customers share: nothing is merged or
  removed; lookup and matching take the oldest holder, a new customer with the value gets a 409, and
  \`move: true\` takes it from all of them.
- **PATCH** is a JSON merge patch (RFC 7396): null removes a field, objects merge, arrays replace.
  \`email\` and \`phone\` mirror the profile's first identifier of that type and are read-only (400 \`identifier_field\`).
- **Deletes** say why: \`{ "reason": "…" }\` in the JSON body; the audit log keeps it.
- **Browsers**: every answer carries \`Access-Control-Allow-Origin: *\`; \`OPTIONS\` answers preflights.
`;

function fieldsOf(contract, schema, io) {
  if (!schema) return [];
  const json = contract.jsonSchema(schema, io);
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    required: required.has(name),
    type: describe(property),
  }));
}

function describe(property) {
  if (!property || typeof property !== "object") return "any";
  if (property.enum) return property.enum.map((value) => JSON.stringify(value)).join(" \\| ");
  if (property.const !== undefined) return JSON.stringify(property.const);
  if (property.anyOf) return [...new Set(property.anyOf.map(describe))].join(" \\| ");
  if (property.type === "array") return `${describe(property.items)}[]`;
  if (property.type === "object") return "object";
  if (property.format) return `${property.type} (${property.format})`;
  if (property.pattern && property.type === "string") return "string";
  return property.type ?? "any";
}

function table(rows, header) {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join(
    "\n",
  );
}

export function buildRestApiMarkdown(contract) {
  const { routes, routeDocs, permissionMatrix, roles, errorCodes, apiBasePath } = contract;
  const list = Object.values(routes);
  const rolesFor = (route) =>
    route.permission ? roles.filter((role) => permissionMatrix[role].includes(route.permission)).join(", ") : "any client";
  const out = [intro, "## Routes", ""];
  out.push(
    table(
      list.map((route) => [
        `\`${route.method} ${apiBasePath}${route.path}\``,
        `\`${route.name}\``,
        route.permission ? `\`${route.permission}\`` : "—",
        rolesFor(route),
        routeDocs[route.name].summary,
      ]),
      ["Route", "SDK method", "Permission", "Roles", "What it does"],
    ),
  );
  for (const route of list) {
    out.push("", `### ${route.method} ${apiBasePath}${route.path}`, "", `\`${route.name}\` — ${routeDocs[route.name].summary}.`);
    if (routeDocs[route.name].description) out.push("", routeDocs[route.name].description);
    out.push(
      "",
      `Permission: ${route.permission ? `\`${route.permission}\` (${rolesFor(route)})` : "none (client credentials)"}. Success: ${route.status}${route.otherStatus ? ` (${route.otherStatus.status} ${route.otherStatus.when})` : ""}, answering \`${route.response}\`.${route.audited ? " Audited." : ""}`,
    );
    for (const [title, schema] of [
      ["Path parameters", route.params],
      ["Query", route.query],
      ["Body", route.body],
    ]) {
      const fields = fieldsOf(contract, schema, "input");
      if (fields.length === 0) continue;
      out.push(
        "",
        `${title}:`,
        "",
        table(
          fields.map((field) => [`\`${field.name}\``, field.type, field.required ? "required" : "optional"]),
          ["Field", "Type", ""],
        ),
      );
    }
  }
  out.push("", "## Roles", "", "What each role may do; a route needs the permission it names above.", "");
  const permissions = [...new Set(Object.values(permissionMatrix).flat())];
  out.push(
    table(
      permissions.map((permission) => [
        `\`${permission}\``,
        ...roles.map((role) => (permissionMatrix[role].includes(permission) ? "✓" : "")),
      ]),
      ["Permission", ...roles],
    ),
  );
  out.push("", "## Error codes", "", "`code` is stable; programs branch on it.", "");
  out.push(
    table(
      Object.entries(errorCodes).map(([code, value]) => [`\`${code}\``, String(value.status), value.type, value.message]),
      ["Code", "Status", "Type", "Meaning"],
    ),
  );
  return `${out.join("\n")}\n`;
}
