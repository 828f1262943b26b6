/** The shop's products: prices are decimal strings in EUR, as the backend sums money. */
export const products = [
  { id: "linen-shirt", name: "Linen shirt", category: "Shirts", price: "49.00", description: "Washed linen, relaxed fit." },
  { id: "oxford-shirt", name: "Oxford shirt", category: "Shirts", price: "59.00", description: "Cotton oxford cloth, button-down collar." },
  { id: "chinos", name: "Chinos", category: "Trousers", price: "69.00", description: "Stretch cotton twill." },
  { id: "wool-scarf", name: "Wool scarf", category: "Accessories", price: "35.50", description: "Lambswool, 180 cm." },
  { id: "canvas-tote", name: "Canvas tote", category: "Accessories", price: "19.90", description: "Heavy canvas, inside pocket." },
];

export const currency = "EUR";
