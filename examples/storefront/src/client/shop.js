// The shop: a single-page app (History API) tracked with @cdp/browser. The cart and the signed-in
// account live in sessionStorage: they are the shop's own, needed to sell, and need no consent.
import { createBrowserTracker } from "@cdp/browser";
import { currency, products } from "../catalog.mjs";

const { apiUrl, writeKey } = window.shopConfig;
// Nothing is stored or sent before the visitor accepts (consent.required); page views, single-page
// navigations included, are automatic.
const cdp = createBrowserTracker({ writeKey, host: apiUrl, consent: { required: true } });
window.cdp = cdp; // for the browser console

const main = document.getElementById("main");
const byId = new Map(products.map((product) => [product.id, product]));

// ---- consent banner ----
const banner = document.getElementById("consent-banner");
const refusedThisSession = () => sessionStorage.getItem("shop_consent_refused") === "1";
banner.hidden = cdp.consent.status !== "pending" || refusedThisSession();
document.getElementById("consent-accept").addEventListener("click", () => {
  sessionStorage.removeItem("shop_consent_refused");
  cdp.consent.update({ profiling: true });
  banner.hidden = true;
});
document.getElementById("consent-refuse").addEventListener("click", () => {
  // The refusal is not stored anywhere lasting: the banner asks again in a new session.
  sessionStorage.setItem("shop_consent_refused", "1");
  cdp.consent.update({ profiling: false });
  banner.hidden = true;
});
document.getElementById("privacy-settings").addEventListener("click", () => {
  banner.hidden = false;
});

// ---- cart and account (sessionStorage) ----
const cart = {
  read: () => JSON.parse(sessionStorage.getItem("shop_cart") ?? "[]"),
  write: (lines) => {
    sessionStorage.setItem("shop_cart", JSON.stringify(lines));
    updateNav();
  },
};
const account = {
  read: () => JSON.parse(sessionStorage.getItem("shop_user") ?? "null"),
  write: (user) => {
    if (user) sessionStorage.setItem("shop_user", JSON.stringify(user));
    else sessionStorage.removeItem("shop_user");
    updateNav();
  },
};

function updateNav() {
  const count = cart.read().reduce((sum, line) => sum + line.quantity, 0);
  document.getElementById("cart-link").textContent = count ? `Cart (${count})` : "Cart";
  const user = account.read();
  document.getElementById("account-link").textContent = user ? (user.firstName ?? user.email) : "Sign in";
}

/** What the e-commerce spec calls a product, for event properties. */
function specProduct(product, quantity = 1) {
  return {
    product_id: product.id,
    sku: product.id,
    name: product.name,
    category: product.category,
    price: Number(product.price),
    quantity,
    currency,
  };
}

function cartLines() {
  return cart
    .read()
    .map((line) => ({ ...line, product: byId.get(line.id) }))
    .filter((line) => line.product);
}

function cartTotal(lines) {
  const cents = lines.reduce((sum, line) => sum + Math.round(Number(line.product.price) * 100) * line.quantity, 0);
  return (cents / 100).toFixed(2);
}

// ---- pages ----
const routes = [
  [/^\/$/, listPage],
  [/^\/product\/([\w-]+)$/, productPage],
  [/^\/cart$/, cartPage],
  [/^\/checkout$/, checkoutPage],
  [/^\/account$/, accountPage],
  [/^\/thanks\/([\w-]+)$/, thanksPage],
];

function render() {
  for (const [pattern, page] of routes) {
    const match = location.pathname.match(pattern);
    if (match) return page(...match.slice(1));
  }
  document.title = "Not found · Maison Lin";
  main.innerHTML = `<h1>Not found</h1><p><a href="/" data-link>Back to the shop</a></p>`;
}

function go(path) {
  history.pushState({}, "", path);
  render();
}

function listPage() {
  document.title = "Shop · Maison Lin";
  main.innerHTML = `<h1>New season</h1><div class="grid">${products
    .map(
      (product) => `<article class="product"><h2><a href="/product/${product.id}" data-link>${escapeHtml(product.name)}</a></h2>
        <p>${escapeHtml(product.description)}</p><p class="price">€${product.price}</p></article>`,
    )
    .join("")}</div>`;
  cdp.track("Product List Viewed", { list_id: "new-season", category: "All", products: products.map((product) => specProduct(product)) });
}

function productPage(id) {
  const product = byId.get(id);
  if (!product) return render404();
  document.title = `${product.name} · Maison Lin`;
  main.innerHTML = `<article class="product"><h1>${escapeHtml(product.name)}</h1><p>${escapeHtml(product.description)}</p>
    <p class="price">€${product.price}</p><button type="button" id="add-to-cart">Add to cart</button>
    <p id="added" class="notice" hidden>Added to your cart. <a href="/cart" data-link>See the cart</a></p></article>`;
  cdp.track("Product Viewed", specProduct(product));
  document.getElementById("add-to-cart").addEventListener("click", () => {
    const lines = cart.read();
    const line = lines.find((entry) => entry.id === id);
    if (line) line.quantity += 1;
    else lines.push({ id, quantity: 1 });
    cart.write(lines);
    cdp.track("Product Added", { cart_id: cartId(), ...specProduct(product) });
    document.getElementById("added").hidden = false;
  });
}

function cartPage() {
  document.title = "Cart · Maison Lin";
  const lines = cartLines();
  cdp.track("Cart Viewed", { cart_id: cartId(), products: lines.map((line) => specProduct(line.product, line.quantity)) });
  if (lines.length === 0) {
    main.innerHTML = `<h1>Your cart</h1><p>It is empty. <a href="/" data-link>Back to the shop</a></p>`;
    return;
  }
  main.innerHTML = `<h1>Your cart</h1><table><tbody>${lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.product.name)}</td><td class="count">${line.quantity}</td><td class="count">€${line.product.price}</td>
        <td><button type="button" class="link" data-remove="${line.id}">Remove</button></td></tr>`,
    )
    .join("")}</tbody></table><p class="price">Total €${cartTotal(lines)}</p>
    <p><a href="/checkout" data-link id="to-checkout">Check out</a></p>`;
  for (const button of main.querySelectorAll("[data-remove]")) {
    button.addEventListener("click", () => {
      const id = button.getAttribute("data-remove");
      const removed = lines.find((line) => line.id === id);
      cart.write(cart.read().filter((line) => line.id !== id));
      cdp.track("Product Removed", { cart_id: cartId(), ...specProduct(removed.product, removed.quantity) });
      render();
    });
  }
}

function checkoutPage() {
  document.title = "Checkout · Maison Lin";
  const lines = cartLines();
  if (lines.length === 0) return go("/cart");
  const user = account.read();
  const total = cartTotal(lines);
  const orderId = `ord-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  cdp.track("Checkout Started", {
    order_id: orderId,
    value: Number(total),
    currency,
    products: lines.map((line) => specProduct(line.product, line.quantity)),
  });
  main.innerHTML = `<h1>Checkout</h1><form id="checkout">
    <label>Email <input name="email" type="email" required value="${escapeHtml(user?.email ?? "")}" /></label>
    <p class="price">Total €${total}</p><button type="submit" id="place-order">Place order</button></form>`;
  document.getElementById("checkout").addEventListener("submit", (event) => {
    event.preventDefault();
    const email = new FormData(event.target).get("email");
    // A guest's email joins the order to their profile; a signed-in visitor is identified already.
    if (!user) cdp.identify(undefined, { email });
    cdp.track("Order Completed", {
      order_id: orderId,
      total,
      revenue: Number(total),
      currency,
      products: lines.map((line) => specProduct(line.product, line.quantity)),
    });
    cart.write([]);
    sessionStorage.removeItem("shop_cart_id");
    go(`/thanks/${orderId}`);
  });
}

function thanksPage(orderId) {
  document.title = "Thank you · Maison Lin";
  main.innerHTML = `<h1>Thank you</h1><p>Your order <strong id="order-id">${escapeHtml(orderId)}</strong> is on its way.</p>
    <p><a href="/" data-link>Back to the shop</a></p>`;
}

function accountPage() {
  document.title = "Account · Maison Lin";
  const user = account.read();
  if (user) {
    main.innerHTML = `<h1>Hello ${escapeHtml(user.firstName ?? user.email)}</h1><p>Signed in as ${escapeHtml(user.email)} (${escapeHtml(user.userId)}).</p>
      <p><a href="/card?customer=${encodeURIComponent(user.userId)}" id="my-card">Your customer card</a></p>
      <button type="button" id="sign-out">Sign out</button>`;
    document.getElementById("sign-out").addEventListener("click", () => {
      cdp.track("Signed Out");
      // A new anonymous id: what happens next on this device never touches this profile.
      cdp.reset();
      account.write(null);
      render();
    });
    return;
  }
  main.innerHTML = `<h1>Sign in</h1><form id="sign-in"><label>Email <input name="email" type="email" required /></label>
      <button type="submit">Sign in</button><p class="error" id="sign-in-error"></p></form>
    <h2>New here? Sign up</h2><form id="sign-up">
      <label>Email <input name="email" type="email" required /></label>
      <label>First name <input name="firstName" /></label>
      <label>Last name <input name="lastName" /></label>
      <label><input type="checkbox" name="newsletter" /> Send me the newsletter</label>
      <button type="submit">Sign up</button><p class="error" id="sign-up-error"></p></form>`;
  document.getElementById("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const answer = await post("/api/sign-in", { email: form.get("email") });
    if (answer.error) return showError("sign-in-error", answer.error);
    signedIn(answer, "Signed In");
  });
  document.getElementById("sign-up").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const answer = await post("/api/sign-up", {
      email: form.get("email"),
      firstName: form.get("firstName"),
      lastName: form.get("lastName"),
      newsletter: form.get("newsletter") === "on",
    });
    if (answer.error) return showError("sign-up-error", answer.error);
    signedIn(answer, "Signed Up");
  });
}

function signedIn(user, event) {
  account.write(user);
  // identify() joins this device's anonymous activity (page views, cart) to the account's profile.
  cdp.identify(user.userId, {
    email: user.email,
    ...(user.firstName ? { firstName: user.firstName } : {}),
    ...(user.lastName ? { lastName: user.lastName } : {}),
  });
  cdp.track(event, { method: "email" });
  render();
}

function render404() {
  document.title = "Not found · Maison Lin";
  main.innerHTML = `<h1>Not found</h1><p><a href="/" data-link>Back to the shop</a></p>`;
}

function cartId() {
  let id = sessionStorage.getItem("shop_cart_id");
  if (!id) {
    id = `cart-${Date.now().toString(36)}`;
    sessionStorage.setItem("shop_cart_id", id);
  }
  return id;
}

async function post(path, body) {
  try {
    const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return await response.json();
  } catch {
    return { error: "The shop could not be reached. Try again." };
  }
}

function showError(id, message) {
  document.getElementById(id).textContent = message;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

// Links marked data-link navigate inside the app: a pushState, which @cdp/browser records as a page view.
document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[data-link]");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  go(link.getAttribute("href"));
});
addEventListener("popstate", render);
updateNav();
render();
