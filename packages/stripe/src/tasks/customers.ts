import {
  type IntegrationTaskKey,
  optionalProperty,
  propertiesOf,
  TaskNamespace,
  type TaskOutput,
} from "@autoflow/core";
import type StripeSdk from "stripe";

/** `io.stripe.customers`: the people and businesses you charge. Other `customers.*` methods pass through. */
export class Customers extends TaskNamespace<StripeSdk> {
  /**
   * Creates a customer; sent once, with the task's idempotency key.
   * @see https://docs.stripe.com/api/customers/create
   */
  create(
    key: IntegrationTaskKey,
    params: StripeSdk.CustomerCreateParams = {},
  ): Promise<TaskOutput<StripeSdk.Customer>> {
    return this.task<StripeSdk.Customer>(key, (client) => client.customers.create(params), {
      name: "Create Customer",
      params,
      properties: propertiesOf(params, { Email: "email", Name: "name" }),
      idempotency: "native",
    });
  }

  /**
   * Reads a customer (a deleted one answers `{ id, deleted: true }`).
   * @see https://docs.stripe.com/api/customers/retrieve
   */
  retrieve(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.CustomerRetrieveParams,
  ): Promise<TaskOutput<StripeSdk.Customer | StripeSdk.DeletedCustomer>> {
    return this.task<StripeSdk.Customer | StripeSdk.DeletedCustomer>(
      key,
      (client) => client.customers.retrieve(id, params),
      {
        name: "Retrieve Customer",
        params: { id, ...params },
        properties: [{ label: "Customer", text: id }],
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Updates a customer's fields and metadata; sent once, with the task's idempotency key.
   * @see https://docs.stripe.com/api/customers/update
   */
  update(
    key: IntegrationTaskKey,
    id: string,
    params: StripeSdk.CustomerUpdateParams,
  ): Promise<TaskOutput<StripeSdk.Customer>> {
    return this.task<StripeSdk.Customer>(key, (client) => client.customers.update(id, params), {
      name: "Update Customer",
      params: { id, ...params },
      properties: [{ label: "Customer", text: id }, ...propertiesOf(params, { Email: "email" })],
      idempotency: "native",
    });
  }

  /**
   * Lists customers, newest first (one page: pass `starting_after` for the next, or use `listAll`).
   * @see https://docs.stripe.com/api/customers/list
   */
  list(
    key: IntegrationTaskKey,
    params?: StripeSdk.CustomerListParams,
  ): Promise<TaskOutput<StripeSdk.ApiList<StripeSdk.Customer>>> {
    return this.task<StripeSdk.ApiList<StripeSdk.Customer>>(key, (client) => client.customers.list(params), {
      name: "List Customers",
      ...(params !== undefined && { params }),
      properties: propertiesOf(params, { Email: "email" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Every customer up to `limit`, through the SDK's own auto-pagination (`autoPagingToArray({ limit })`).
   * @see https://docs.stripe.com/api/pagination/auto
   */
  listAll(
    key: IntegrationTaskKey,
    params: StripeSdk.CustomerListParams,
    options: { limit: number },
  ): Promise<TaskOutput<StripeSdk.Customer[]>> {
    return this.pages<StripeSdk.Customer>(
      key,
      { pages: (client) => client.customers.list(params), limit: options.limit },
      { name: "List All Customers", params, properties: propertiesOf(params, { Email: "email" }) },
    );
  }

  /**
   * Deletes a customer (and cancels its subscriptions). A repeat answers 404: the delete already happened.
   * @see https://docs.stripe.com/api/customers/delete
   */
  del(key: IntegrationTaskKey, id: string): Promise<TaskOutput<StripeSdk.DeletedCustomer>> {
    return this.task<StripeSdk.DeletedCustomer>(key, (client) => client.customers.del(id), {
      name: "Delete Customer",
      params: { id },
      properties: [{ label: "Customer", text: id }],
      // DELETE is idempotent at Stripe (it takes no idempotency key).
      idempotency: "idempotent",
    });
  }

  /**
   * Finds customers with Stripe's search query language (`email:'ada@example.com'`); eventually consistent.
   * @see https://docs.stripe.com/api/customers/search
   */
  search(
    key: IntegrationTaskKey,
    params: StripeSdk.CustomerSearchParams,
  ): Promise<TaskOutput<StripeSdk.ApiSearchResult<StripeSdk.Customer>>> {
    return this.task<StripeSdk.ApiSearchResult<StripeSdk.Customer>>(
      key,
      (client) => client.customers.search(params),
      {
        name: "Search Customers",
        params,
        properties: optionalProperty("Query", params.query),
        idempotency: "idempotent",
      },
    );
  }
}
