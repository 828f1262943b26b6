/**
 * A Response whose text `text()` and `json()` read as it is. A standard Response turns its body
 * into a byte stream when it is made, and reading it back goes through that stream: for a
 * 100-message tracking batch answered through `backend.fetch`, making and reading the answer cost
 * more than routing the request. Whoever asks for `body` (a server writing the answer out, a
 * proxy, `new Response(answer.body, answer)`) gets a standard Response's stream, and from then on
 * every read goes through it, so the body is read once whichever way is taken.
 */
export class TextResponse extends Response {
  readonly #text: string;
  #used = false;
  /** The standard Response every read goes through once `body` was asked for. */
  #standard: Response | undefined;

  constructor(text: string, init: ResponseInit) {
    super(null, init);
    this.#text = text;
  }

  override get body(): Response["body"] {
    return this.#stream().body;
  }

  override get bodyUsed(): boolean {
    return this.#standard ? this.#standard.bodyUsed : this.#used;
  }

  override text(): Promise<string> {
    return this.#standard ? this.#standard.text() : this.#take();
  }

  override async json(): Promise<unknown> {
    return this.#standard ? this.#standard.json() : JSON.parse(await this.#take());
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#stream().arrayBuffer();
  }

  override blob(): Promise<Blob> {
    return this.#stream().blob();
  }

  override formData(): Promise<FormData> {
    return this.#stream().formData();
  }

  override bytes(): ReturnType<Response["bytes"]> {
    return this.#stream().bytes();
  }

  override clone(): Response {
    // The standard Response's headers are not these (they may have changed since): its body, these headers.
    if (this.#standard) return new Response(this.#standard.clone().body, this);
    if (this.#used) throw new TypeError("Response.clone: the body has already been read");
    return new TextResponse(this.#text, { status: this.status, statusText: this.statusText, headers: this.headers });
  }

  #take(): Promise<string> {
    if (this.#used) return Promise.reject(new TypeError("Body is unusable: the body has already been read"));
    this.#used = true;
    return Promise.resolve(this.#text);
  }

  #stream(): Response {
    if (!this.#standard) {
      this.#standard = new Response(this.#text, { status: this.status, statusText: this.statusText, headers: this.headers });
      // Read already: the stream is a read one, as a standard Response's would be.
      if (this.#used) void this.#standard.arrayBuffer();
    }
    return this.#standard;
  }
}
