// The reference Worker's description (what the gates read of it and what it can do): the design it deploys by default.
export { default } from "./designs/seat-owned.js";
