// Two WhatsApp Business numbers' profiles, declared in Go with the kaleyra SDK generated from the
// plugin's schema (../../sdk/go/kaleyra). The same program as ../yaml.
package main

import (
	"github.com/pulumi-kaleyra-whatsapp/sdk/go/kaleyra"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		support, err := kaleyra.NewWhatsAppNumberProfile(ctx, "support", &kaleyra.WhatsAppNumberProfileArgs{
			WaNumber:         pulumi.String("+919876543221"),
			About:            pulumi.String("Order help, returns and refunds"),
			BusinessCategory: pulumi.String("Shopping and Retail"),
			ContactEmail:     pulumi.String("care@shop.example.com"),
			Website:          pulumi.String("https://shop.example.com"),
			IncomingUrl:      pulumi.String("https://hooks.example.com/whatsapp/support"),
		})
		if err != nil {
			return err
		}
		sales, err := kaleyra.NewWhatsAppNumberProfile(ctx, "sales", &kaleyra.WhatsAppNumberProfileArgs{
			WaNumber:         pulumi.String("+919876543220"),
			About:            pulumi.String("New orders and offers, 9am-9pm"),
			BusinessCategory: pulumi.String("Shopping and Retail"),
			IncomingUrl:      pulumi.String("https://hooks.example.com/whatsapp/sales"),
		})
		if err != nil {
			return err
		}
		ctx.Export("support", support.ID())
		ctx.Export("sales", sales.ID())
		ctx.Export("supportWebhook", support.IncomingUrl)
		return nil
	})
}
