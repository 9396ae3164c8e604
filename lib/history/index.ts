export * from "./types";
export * from "./parse";
export * from "./summary";
export * from "./tree";
