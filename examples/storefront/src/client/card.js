// The customer card: one customer's profile, identifiers, consents, subscriptions, events of the last
// year by week and category, purchases and changelog. The data comes from this demo server's
// /api/card, which reads the backend with the admin key it keeps to itself.
const root = document.getElementById("card");
const form = document.getElementById("find");
const wanted = new URLSearchParams(location.search).get("customer");
form.customer.value = wanted ?? "";
form.addEventListener("submit", (event) => {
  event.preventDefault();
  location.search = `?customer=${encodeURIComponent(form.customer.value.trim())}`;
});

if (wanted) showCard(wanted);
else showCustomers();

async function showCustomers() {
  const { data } = await getJson("/api/customers");
  root.innerHTML = data.length
    ? `<h1>Customers</h1><table><thead><tr><th>Customer</th><th>Email</th><th>Since</th></tr></thead><tbody>${data
        .map(
          (customer) => `<tr><td><a href="/card?customer=${customer.id}">${escapeHtml(name(customer) || customer.id)}</a></td>
            <td>${escapeHtml(customer.email ?? "")}</td><td>${day(customer.createdAt)}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : `<p>No customers yet: accept the cookie banner in <a href="/">the shop</a> and look around.</p>`;
}

async function showCard(key) {
  const card = await getJson(`/api/card?customer=${encodeURIComponent(key)}`);
  if (card.error) {
    root.innerHTML = `<p class="error">${escapeHtml(card.error)}</p>`;
    return;
  }
  const { customer, identities, consents, subscriptions, timeline, purchases, changelog, events } = card;
  document.title = `${name(customer) || customer.id} · Customer card`;
  root.innerHTML = [
    profileSection(customer),
    identifiersSection(identities),
    consentsSection(consents),
    subscriptionsSection(subscriptions),
    timelineSection(timeline.data),
    purchasesSection(purchases.data),
    eventsSection(events),
    changelogSection(changelog),
  ].join("");
}

function profileSection(customer) {
  const rows = [
    ["Id", customer.id],
    ["Name", name(customer)],
    ["Email", customer.email],
    ["Phone", customer.phone],
    ["Status", customer.status],
    ["Created", time(customer.createdAt)],
    ["Updated", time(customer.updatedAt)],
    ["Tags", (customer.tags ?? []).join(", ")],
    ...Object.entries(customer.traits ?? {}).map(([key, value]) => [`trait: ${key}`, JSON.stringify(value)]),
  ].filter(([, value]) => value);
  return section("profile", "Profile", table(["Field", "Value"], rows));
}

function identifiersSection(identities) {
  return section(
    "identifiers",
    "Identifiers",
    table(
      ["Type", "Value", "Added", "Source"],
      identities.identifiers.map((identifier) => [identifier.type, identifier.value, time(identifier.addedAt), identifier.source]),
    ),
  );
}

function consentsSection(consents) {
  return section(
    "consents",
    "Consents",
    table(
      ["Purpose", "State", "Since", "Source"],
      consents.purposes.map((purpose) => [purpose.purpose, purpose.state, time(purpose.collectedAt), purpose.source ?? ""]),
    ),
  );
}

function subscriptionsSection(subscriptions) {
  return section(
    "subscriptions",
    "Subscriptions",
    table(
      ["List", "Contact", "State", "Method"],
      subscriptions.data.map((subscription) => [subscription.listId, subscription.value, subscription.state, subscription.method ?? ""]),
    ),
  );
}

/** 52 ISO weeks, oldest first, one column per category: weeks with no event are folded into one line. */
function timelineSection(weeks) {
  const categories = [...new Set(weeks.flatMap((week) => Object.keys(week.counts)))].sort();
  const busy = weeks.filter((week) => Object.values(week.counts).some((count) => count > 0));
  const most = Math.max(1, ...busy.map((week) => total(week)));
  const rows = busy
    .map(
      (week) =>
        `<tr data-week="${week.week}"><th scope="row">${week.week}</th>${categories
          .map((category) => {
            const count = week.counts[category] ?? 0;
            return `<td class="count${count ? "" : " zero"}" data-category="${escapeHtml(category)}">${count}</td>`;
          })
          .join("")}<td><span class="bar" style="width:${Math.round((total(week) / most) * 8)}rem"></span></td></tr>`,
    )
    .join("");
  const quiet = weeks.length - busy.length;
  return section(
    "timeline",
    `Events of the last year, by week and category (${weeks[0]?.week ?? ""} to ${weeks.at(-1)?.week ?? ""})`,
    busy.length
      ? `<table><thead><tr><th>Week</th>${categories.map((category) => `<th>${escapeHtml(category)}</th>`).join("")}<th></th></tr></thead>
        <tbody>${rows}</tbody></table><p>${quiet} week(s) with no event.</p>`
      : "<p>No event in the last year.</p>",
  );
}

function purchasesSection(months) {
  const rows = months
    .filter((month) => month.orders > 0)
    .map(
      (month) =>
        `<tr data-month="${month.period}"><td>${month.period}</td><td class="count" data-orders>${month.orders}</td><td class="count">${month.items}</td>
        <td class="count" data-revenue>${Object.entries(month.revenue)
          .map(([code, amount]) => `${amount} ${code}`)
          .join(", ")}</td></tr>`,
    )
    .join("");
  return section(
    "purchases",
    "Purchases, by month",
    rows
      ? `<table><thead><tr><th>Month</th><th>Orders</th><th>Items</th><th>Revenue</th></tr></thead><tbody>${rows}</tbody></table>`
      : "<p>No order in the last 12 months.</p>",
  );
}

function eventsSection(events) {
  return section(
    "events",
    "Latest events",
    table(
      ["When", "Event", "Category"],
      events.map((event) => [time(event.timestamp), event.type, event.category]),
    ),
  );
}

function changelogSection(entries) {
  return section(
    "changelog",
    "Changelog",
    table(
      ["When", "What", "Source", "Details"],
      entries.map((entry) => [
        time(entry.at),
        entry.kind,
        entry.source,
        entry.merge ? `absorbed ${entry.merge.absorbed}` : Object.keys(entry.changes ?? {}).join(", "),
      ]),
    ),
  );
}

function section(id, title, body) {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function table(headings, rows) {
  if (rows.length === 0) return "<p>None.</p>";
  return `<table><thead><tr>${headings.map((heading) => `<th>${escapeHtml(heading)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell ?? "")}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

function total(week) {
  return Object.values(week.counts).reduce((sum, count) => sum + count, 0);
}

function name(customer) {
  return [customer.firstName, customer.lastName].filter(Boolean).join(" ");
}

function time(iso) {
  return iso ? iso.replace("T", " ").slice(0, 16) : "";
}

function day(iso) {
  return iso ? iso.slice(0, 10) : "";
}

async function getJson(path) {
  try {
    return await (await fetch(path)).json();
  } catch {
    return { error: "The shop's server could not be reached.", data: [] };
  }
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
