// The States Language runtime: one interpretation of ASL for the engine and the reconstruction.
export * from "./model";
export * from "./errors";
export * from "./context";
export * from "./paths";
export * from "./intrinsics";
export * from "./jsonata";
export * from "./choice";
export * from "./dataflow";
export * from "./timestamp";
export * from "./json";
export { hashHex, base64Encode, base64Decode, HASH_ALGORITHMS, type HashAlgorithm } from "./digest";
export * from "./validate";
