// The platform's own client library (@nmshd/transport) against this server: the compat
// run of tests/compat.rs. Every request the library makes is printed. Steps that need the
// back office (an admin starting a process, moving the server's clock, reading the admin
// page) are asked of the test harness over stdin/stdout: a line "@@ <command> <args...>"
// is answered with one line ("ok <value>" or "fail <why>").
"use strict";

const readline = require("node:readline");
const axios = require("axios");

// Every axios instance the library creates prints its requests and their answers.
const createAxios = axios.create.bind(axios);
axios.create = (config) => {
    const instance = createAxios(config);
    instance.interceptors.response.use(
        (response) => {
            printRequest(response.config, response.status);
            return response;
        },
        (error) => {
            printRequest(error.config ?? {}, error.response?.status ?? "no answer");
            return Promise.reject(error);
        }
    );
    return instance;
};

function printRequest(config, status) {
    const method = (config.method ?? "?").toUpperCase();
    const query = config.params && Object.keys(config.params).length > 0 ? ` ${JSON.stringify(config.params)}` : "";
    console.log(`  request: ${method} ${config.url}${query} -> ${status}`);
}

const { AccountController, Transport } = require("@nmshd/transport");
const { LokiJsConnection } = require("@js-soft/docdb-access-loki");
const { EventEmitter2EventBus } = require("@js-soft/ts-utils");

const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Asks the harness to do something; resolves with its answer's value. */
async function harness(...words) {
    console.log(`@@ ${words.join(" ")}`);
    const { value, done } = await lines.next();
    if (done) throw new Error(`the harness hung up during '${words[0]}'`);
    if (!value.startsWith("ok")) throw new Error(`the harness refused '${words.join(" ")}': ${value}`);
    return value.slice(2).trim();
}

function check(condition, what) {
    if (!condition) throw new Error(`check failed: ${what}`);
    console.log(`  ok: ${what}`);
}

async function expectError(promise, code, what) {
    try {
        await promise;
    } catch (error) {
        check(error.code === code, `${what} fails with ${code} (got ${error.code})`);
        return;
    }
    throw new Error(`check failed: ${what} should fail with ${code}`);
}

async function newAccount(transport, connection, name) {
    const db = await connection.getDatabase(name);
    return await new AccountController(transport, db, transport.config).init();
}

async function main() {
    const config = {
        baseUrl: process.env.BASE_URL,
        platformClientId: process.env.CLIENT_ID,
        platformClientSecret: process.env.CLIENT_SECRET,
        supportedIdentityVersion: 1
    };
    const transport = await new Transport(config, new EventEmitter2EventBus(() => undefined)).init();
    const connection = LokiJsConnection.inMemory();

    console.log("1. two new accounts: registration, token, initial sync run");
    const first = await newAccount(transport, connection, "first");
    const second = await newAccount(transport, connection, "second");
    for (const account of [first, second]) {
        const address = account.identity.address.toString();
        const stored = await harness("identity", address, account.activeDevice.id.toString());
        check(stored === address, `the server stored the address the client computed, ${address}`);
    }

    console.log("2. initiate with a grace period of 5 days, read it back, cancel it");
    const initiated = await first.identityDeletionProcess.initiateIdentityDeletionProcess(5);
    check(initiated.cache.status === "Approved", "the new process is Approved");
    const millis = (date) => Date.parse(date.toISOString());
    const days = (millis(initiated.cache.gracePeriodEndsAt) - millis(initiated.cache.approvedAt)) / 86400000;
    check(Math.abs(days - 5) < 1e-6, "its grace period is 5 days");
    const readBack = await first.identityDeletionProcess.updateCacheOfExistingIdentityDeletionProcess(initiated.id.toString());
    check(readBack.id.equals(initiated.id) && readBack.cache.status === "Approved", "read back from the server");
    const cancelled = await first.identityDeletionProcess.cancelIdentityDeletionProcess(initiated.id.toString());
    check(cancelled.cache.status === "Cancelled", "cancelled");
    check(cancelled.cache.cancelledByDevice.toString() === first.activeDevice.id.toString(), "cancelled by this device");

    for (const [decision, status] of [["reject", "Rejected"], ["approve", "Approved"]]) {
        console.log(`${decision === "reject" ? 3 : 4}. support starts a process; the client syncs and will ${decision} it`);
        const address = second.identity.address.toString();
        const started = await harness("start-process", address);
        await second.syncEverything();
        const waiting = await second.identityDeletionProcess.getIdentityDeletionProcessByStatus("WaitingForApproval");
        check(waiting !== undefined && waiting.id.toString() === started, `the sync brought the waiting process ${started}`);
        const decided =
            decision === "reject"
                ? await second.identityDeletionProcess.rejectIdentityDeletionProcess(started)
                : await second.identityDeletionProcess.approveIdentityDeletionProcess(started);
        check(decided.cache.status === status, `the process is ${status}`);
        const device = second.activeDevice.id.toString();
        await harness("admin-page-shows", address, started, status, device);
        if (status === "Approved") {
            check(decided.cache.gracePeriodEndsAt !== undefined, "the grace period is set");
        }
    }

    console.log("5. the errors the Backbone gives: a second initiate, a cancel after the grace period");
    await expectError(
        second.identityDeletionProcess.initiateIdentityDeletionProcess(),
        "error.platform.validation.device.onlyOneActiveDeletionProcessAllowed",
        "a second initiate"
    );
    const approved = await second.identityDeletionProcess.getIdentityDeletionProcessByStatus("Approved");
    // Shortly before the end the client signs in again (its token expired meanwhile)...
    await harness("clock-before-grace-end", second.identity.address.toString(), "120");
    await second.syncEverything();
    // ...and asks to cancel once it is over.
    await harness("advance-clock", "150");
    await expectError(
        second.identityDeletionProcess.cancelIdentityDeletionProcess(approved.id.toString()),
        "error.platform.validation.device.gracePeriodHasAlreadyExpired",
        "a cancel after the grace period"
    );
    await connection.close();
    console.log("compat run passed");
}

main().then(
    () => process.exit(0),
    (error) => {
        console.error(`compat run failed: ${error.stack ?? error}`);
        process.exit(1);
    }
);
