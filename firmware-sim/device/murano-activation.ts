// A Murano device's token (its CIK, and its MQTT password): activated once over the HTTP
// Device API and then kept, as a device keeps it in its own storage. Activation is not
// repeated after a power cut: the product would answer 409 for an identity already active.

export class MuranoActivation {
  private pending: Promise<string> | undefined;

  constructor(private readonly httpUrl: string, readonly identity: string) {}

  /** The token, activating on first use; a failed activation is tried again on the next call. */
  token(): Promise<string> {
    this.pending ??= this.activate().catch((error: unknown) => {
      this.pending = undefined;
      throw error;
    });
    return this.pending;
  }

  private async activate(): Promise<string> {
    const response = await fetch(`${this.httpUrl}/provision/activate`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id: this.identity }).toString(),
    });
    const text = (await response.text()).trim();
    if (response.status !== 200) throw new Error(`activating "${this.identity}" failed: HTTP ${response.status} ${text}`);
    return text;
  }
}
