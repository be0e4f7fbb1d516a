/**
 * The error of an App module that cannot be loaded.
 *
 * @module
 */

/** An App module could not be imported, or its default export is not a handler. */
export class AppModuleError extends Error {
  /** Builds the error; the message reads "Cannot load app module <path>: <reason>". */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AppModuleError";
  }
}
