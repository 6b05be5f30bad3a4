/**
 * The admin API under `/__emulator/`: inspect and register numbers, read and clear the request
 * log, reset, set faults, rotate the API key. It needs no api-key and is never faulted or logged.
 */
import { EmulatorCore } from "./core";
import { emulatorError } from "./errors";
import { Reply, emptyReply, errorReply, jsonReply } from "./http-util";
import { FaultSettings, ScriptedFault } from "./types";

/** The admin API's path prefix. */
export const ADMIN_PREFIX = "/__emulator/";

/** An admin request. */
export interface AdminRequest {
    /** HTTP method. */
    method: string;
    /** Path without query string. */
    pathname: string;
    /** Body text. */
    body: string;
}

type Handler = (core: EmulatorCore, body: unknown, param: string) => Promise<Reply> | Reply;

interface Route {
    pattern: RegExp;
    /** The path as docs/emulator.md writes it (`<…>` for the parameter). */
    path: string;
    methods: Readonly<Record<string, Handler>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function bad(detail: string): Reply {
    return errorReply(emulatorError("adminBadRequest", { detail }));
}

function faultState(core: EmulatorCore): Reply {
    return jsonReply(200, { settings: core.faults.settings(), pending: core.faults.pending() });
}

async function registerNumber(core: EmulatorCore, body: unknown): Promise<Reply> {
    if (!isRecord(body) || typeof body.wa_number !== "string") return bad('expected {"wa_number": "+<E.164>"}');
    const waNumber = body.wa_number;
    let registering: Promise<boolean>;
    try {
        registering = core.registerNumber(waNumber);
    } catch (e) {
        return bad((e as Error).message);
    }
    return durably(core, "the number was not registered", async () => {
        const created = await registering;
        return jsonReply(created ? 201 : 200, core.store.get(waNumber));
    });
}

/**
 * Answer with `answer()`, or, when it fails because the data file could not be written, with
 * Kaleyra's 500 envelope (the change was not made).
 */
async function durably(core: EmulatorCore, notDone: string, answer: () => Promise<Reply>): Promise<Reply> {
    try {
        return await answer();
    } catch (e) {
        core.warn(`could not write the data file; ${notDone}: ${String(e)}`);
        return errorReply(emulatorError("internalError"));
    }
}

function setFaults(core: EmulatorCore, body: unknown): Reply {
    if (!isRecord(body)) return bad("expected a JSON object of fault settings, or {\"failNext\": {\"count\", \"response\"}}");
    try {
        if ("failNext" in body) {
            const spec = body.failNext;
            if (Object.keys(body).length !== 1 || !isRecord(spec) || typeof spec.count !== "number") {
                return bad('expected exactly {"failNext": {"count": <n>, "response": {"status": <n>, ...} | "drop" | "hang"}}');
            }
            core.faults.failNext(spec.count, spec.response as ScriptedFault);
        } else {
            core.faults.setSettings(body as FaultSettings);
        }
    } catch (e) {
        return bad((e as Error).message);
    }
    return faultState(core);
}

function setApiKey(core: EmulatorCore, body: unknown): Reply {
    if (!isRecord(body) || typeof body.api_key !== "string") return bad('expected {"api_key": "<new key>"}');
    try {
        core.setApiKey(body.api_key);
    } catch (e) {
        return bad((e as Error).message);
    }
    return emptyReply(204);
}

const ROUTES: readonly Route[] = [
    { pattern: /^\/__emulator\/info$/, path: "/__emulator/info", methods: { GET: (c) => jsonReply(200, { sid: c.sid, api_key: c.apiKey, numbers: Object.keys(c.store.all()) }) } },
    {
        pattern: /^\/__emulator\/numbers$/,
        path: "/__emulator/numbers",
        methods: { GET: (c) => jsonReply(200, c.store.all()), POST: registerNumber },
    },
    {
        pattern: /^\/__emulator\/numbers\/([^/]+)$/,
        path: "/__emulator/numbers/<url-encoded E.164>",
        methods: {
            GET: (c, _b, n) => {
                const profile = c.store.get(n);
                return profile ? jsonReply(200, profile) : errorReply(emulatorError("notFound", { parameter: "wa_number" }));
            },
        },
    },
    {
        pattern: /^\/__emulator\/requests$/,
        path: "/__emulator/requests",
        methods: {
            GET: (c) => jsonReply(200, c.log.all()),
            DELETE: (c) => {
                c.log.clear();
                return emptyReply(204);
            },
        },
    },
    {
        pattern: /^\/__emulator\/reset$/,
        path: "/__emulator/reset",
        methods: {
            POST: (c) =>
                durably(c, "nothing was reset", async () => {
                    await c.reset();
                    return emptyReply(204);
                }),
        },
    },
    { pattern: /^\/__emulator\/faults$/, path: "/__emulator/faults", methods: { GET: faultState, PUT: setFaults } },
    { pattern: /^\/__emulator\/api-key$/, path: "/__emulator/api-key", methods: { PUT: setApiKey } },
];

/** Every admin endpoint: method and path as docs/emulator.md lists them (`<…>` for the parameter). */
export const ADMIN_ENDPOINTS: readonly { method: string; path: string }[] = ROUTES.flatMap((route) =>
    Object.keys(route.methods).map((method) => ({ method, path: route.path })),
);

/** Handle a request under {@link ADMIN_PREFIX}. */
export async function handleAdmin(core: EmulatorCore, req: AdminRequest): Promise<Reply> {
    for (const route of ROUTES) {
        const match = route.pattern.exec(req.pathname);
        if (!match) continue;
        const handler = Object.hasOwn(route.methods, req.method) ? route.methods[req.method] : undefined;
        if (!handler) {
            return errorReply(
                emulatorError("methodNotAllowed", { detail: req.method, headers: { Allow: Object.keys(route.methods).join(", ") } }),
            );
        }
        let param = "";
        if (match[1] !== undefined) {
            try {
                param = decodeURIComponent(match[1]);
            } catch {
                return bad("the path segment is not valid percent-encoding");
            }
        }
        let body: unknown = undefined;
        if (req.body.trim() !== "") {
            try {
                body = JSON.parse(req.body);
            } catch {
                return bad("the body is not valid JSON");
            }
        }
        return handler(core, body, param);
    }
    return errorReply(emulatorError("notFound"));
}
