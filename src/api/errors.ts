/** Errors routes throw; the root error handler turns them into `{ error: { code, message, details? } }`. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class NotFoundError extends ApiError {
  constructor(what: string, id: string) {
    super(404, 'not_found', `no ${what} "${id}"`);
  }
}

export class BadRequestError extends ApiError {
  constructor(code: string, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}
