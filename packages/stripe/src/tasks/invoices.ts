import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type StripeSdk from "stripe";

type Invoice = StripeSdk.Invoice;

const invoiceProperty = (id: string) => [{ label: "Invoice", text: id }];

/** `io.stripe.invoices`: bills, drafted, finalized, sent and paid. Other `invoices.*` methods pass through. */
export class Invoices extends TaskNamespace<StripeSdk> {
  /**
   * Creates a draft invoice for a customer.
   * @see https://docs.stripe.com/api/invoices/create
   */
  create(key: IntegrationTaskKey, params: StripeSdk.InvoiceCreateParams): Promise<TaskOutput<Invoice>> {
    return this.task<Invoice>(key, (client) => client.invoices.create(params), {
      name: "Create Invoice",
      params,
      properties: propertiesOf(params, { Customer: "customer" }),
      idempotency: "native",
    });
  }

  /**
   * Reads an invoice.
   * @see https://docs.stripe.com/api/invoices/retrieve
   */
  retrieve(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.InvoiceRetrieveParams,
  ): Promise<TaskOutput<Invoice>> {
    return this.task<Invoice>(key, (client) => client.invoices.retrieve(id, params), {
      name: "Retrieve Invoice",
      params: { id, ...params },
      properties: invoiceProperty(id),
      idempotency: "idempotent",
    });
  }

  /**
   * Finalizes a draft invoice: it gets its number and can be paid.
   * @see https://docs.stripe.com/api/invoices/finalize
   */
  finalizeInvoice(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.InvoiceFinalizeInvoiceParams,
  ): Promise<TaskOutput<Invoice>> {
    return this.task<Invoice>(key, (client) => client.invoices.finalizeInvoice(id, params), {
      name: "Finalize Invoice",
      params: { id, ...params },
      properties: invoiceProperty(id),
      idempotency: "native",
    });
  }

  /**
   * Pays an open invoice (charging the customer's default payment method, or `paid_out_of_band`).
   * @see https://docs.stripe.com/api/invoices/pay
   */
  pay(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.InvoicePayParams,
  ): Promise<TaskOutput<Invoice>> {
    return this.task<Invoice>(key, (client) => client.invoices.pay(id, params), {
      name: "Pay Invoice",
      params: { id, ...params },
      properties: invoiceProperty(id),
      idempotency: "native",
    });
  }

  /**
   * Emails an invoice (`collection_method: send_invoice`) to the customer.
   * @see https://docs.stripe.com/api/invoices/send
   */
  sendInvoice(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.InvoiceSendInvoiceParams,
  ): Promise<TaskOutput<Invoice>> {
    return this.task<Invoice>(key, (client) => client.invoices.sendInvoice(id, params), {
      name: "Send Invoice",
      params: { id, ...params },
      properties: invoiceProperty(id),
      idempotency: "native",
    });
  }

  /**
   * Lists invoices, newest first (one page; `listAll` walks them).
   * @see https://docs.stripe.com/api/invoices/list
   */
  list(
    key: IntegrationTaskKey,
    params?: StripeSdk.InvoiceListParams,
  ): Promise<TaskOutput<StripeSdk.ApiList<Invoice>>> {
    return this.task<StripeSdk.ApiList<Invoice>>(key, (client) => client.invoices.list(params), {
      name: "List Invoices",
      ...(params !== undefined && { params }),
      properties: propertiesOf(params, { Customer: "customer", Status: "status" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Every invoice up to `limit`, through the SDK's own auto-pagination.
   * @see https://docs.stripe.com/api/pagination/auto
   */
  listAll(
    key: IntegrationTaskKey,
    params: StripeSdk.InvoiceListParams,
    options: { limit: number },
  ): Promise<TaskOutput<Invoice[]>> {
    return this.pages<Invoice>(
      key,
      { pages: (client) => client.invoices.list(params), limit: options.limit },
      { name: "List All Invoices", params, properties: propertiesOf(params, { Customer: "customer" }) },
    );
  }
}
